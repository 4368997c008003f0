package dev.sco.orchestrator.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.sco.orchestrator.platform.continuity.SyncControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** What database failover and restoration may ask of the sync of a pair (the platform contract). */
@Component
class SyncContinuityControl implements SyncControl {

    private static final Logger log = LoggerFactory.getLogger(SyncContinuityControl.class);

    private final SyncService service;
    private final SyncRepository repository;
    private final SyncSchedule schedule;
    private final SyncSettings settings;
    private final Clock clock;

    private final FullCopyWindow fullCopies;

    SyncContinuityControl(SyncService service, SyncRepository repository, SyncSchedule schedule, SyncSettings settings,
                          Clock clock, FullCopyWindow fullCopies) {
        this.fullCopies = fullCopies;
        this.service = service;
        this.repository = repository;
        this.schedule = schedule;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public FullCopyPlan fullCopyPlan(String primary, String source) {
        return fullCopies.plan(primary, source);
    }

    @Override
    public void recordCopyBack(String primary, String source, long rows, Duration took) {
        fullCopies.record(primary, FullCopyWindow.COPY_BACK, source, rows, took);
    }

    @Override
    public boolean running(String primary) {
        return repository.state(primary).map(SyncRepository.State::running).orElse(false);
    }

    @Override
    public Duration copyTimeout() {
        return settings.copyTimeout();
    }

    @Override
    public Optional<Instant> lastSuccessfulCheckpoint(String primary) {
        return repository.lastSuccess(primary).map(SyncRepository.Run::checkpoint);
    }

    @Override
    public List<TableCheckpoint> tableCheckpoints(String primary) {
        return repository.checkpointRows(primary).stream()
                .map(c -> new TableCheckpoint(c.table(), c.checkpoint())).toList();
    }

    @Override
    public Duration interval(String primary) {
        // Zero when the pair has no trigger (schedule off, or never scheduled): no sync would have
        // run after a failover, so a restoration must not count on one.
        return schedule.scheduled(primary) ? settings.interval() : Duration.ZERO;
    }

    /**
     * Stops the schedule like a readiness stop. A run that already started elsewhere is not waited
     * for here: the caller's step fails and its next try looks again (a long step's retries).
     */
    @Override
    public void stop(String primary) {
        service.pair(primary);
        repository.stop(primary, SyncRepository.STOPPED_FOR_FAILOVER, clock.instant());
        schedule.pause(primary);
        Optional<SyncRepository.State> state = repository.state(primary);
        // A run of a node that died copies nothing any more: no reason to wait for it (a planned
        // failover's final sync takes its flag over).
        if (state.map(SyncRepository.State::running).orElse(false) && !service.heldByDeadNode(state.get())) {
            throw new IllegalStateException("Run " + state.get().runningRunId() + " of " + primary + " is still running on "
                    + state.get().runningNode() + " since " + state.get().runningSince()
                    + "; no new run starts, the step tries again");
        }
        log.warn("Sync of {} stopped for a failover", primary);
    }

    /** The final sync of a planned failover; refused inside the maintenance window (the step then retries). */
    @Override
    public void runNow(String primary) {
        SyncService.Outcome outcome = service.runNow(primary, SyncService.Kind.MANUAL, "planned failover");
        if (!outcome.succeeded()) {
            throw new IllegalStateException("Final sync of " + primary + " failed (run " + outcome.runId() + "): "
                    + outcome.error());
        }
    }

    /**
     * After a restoration the failover database may hold rows the primary never had (writes made
     * while it was active, when the consumers went straight back): a full copy makes it an exact
     * copy again, re-initialises every checkpoint, and the schedule resumes. The roles still say
     * "restoring" here (the restoration moves them back after this copy succeeded), so this is the
     * one copy that does not ask them; only the restoration's guarded step calls it.
     */
    @Override
    public void reinstall(String primary) {
        service.runFullForRestoration(primary, "restoration");
        service.resume(primary);
    }
}
