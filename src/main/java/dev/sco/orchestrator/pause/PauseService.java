package dev.sco.orchestrator.pause;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sco.orchestrator.platform.AsSystem;
import dev.sco.orchestrator.platform.decision.DecisionRecorder;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Conflict;
import dev.sco.orchestrator.platform.web.NotFound;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates, lists and ends maintenance pauses. Ending (by time or early) is one conditional UPDATE
 * followed, in the same transaction, by a look at the target's health: unhealthy, and a
 * {@code maintenancePauseReviewProcess} starts for the operators, and the sensors hold off the
 * target until it is completed; the end and its decision record commit together with that start.
 */
@Service
public class PauseService {

    /** Sensor name of the end-of-pause decisions ({@code GET /api/decisions?sensor=pause-watchdog}). */
    public static final String SENSOR = "pause-watchdog";
    /** {@code ended_by} of a pause that ran out. */
    static final String WATCHDOG = "pause-watchdog";

    private static final Logger log = LoggerFactory.getLogger(PauseService.class);

    private final PauseRepository repository;
    private final PauseTargets targets;
    private final PauseSettings settings;
    private final DecisionRecorder decisions;
    private final RuntimeService runtime;
    private final AsSystem system;
    private final Clock clock;

    PauseService(PauseRepository repository, PauseTargets targets, PauseSettings settings, DecisionRecorder decisions,
                 RuntimeService runtime, AsSystem system, Clock clock) {
        this.repository = repository;
        this.targets = targets;
        this.settings = settings;
        this.decisions = decisions;
        this.runtime = runtime;
        this.system = system;
        this.clock = clock;
    }

    @Transactional
    Pause create(PauseRequest request, String by) {
        Instant now = now();
        PauseRequest.Valid valid = request.validate(now, settings.maxDuration());
        if (!targets.registered(valid.kind(), valid.name())) {
            throw new BadRequest("target.name", "No " + valid.kind() + " named '" + valid.name() + "' is registered");
        }
        Optional<Pause> active = repository.active(valid.kind(), valid.name());
        if (active.isPresent()) {
            throw alreadyPaused(active.get());
        }
        long id;
        try {
            id = repository.insert(valid.kind(), valid.name(), valid.reason(), by, now, valid.until());
        } catch (DuplicateKeyException e) {
            // A concurrent request paused it first; the transaction is aborted, so no further read.
            throw alreadyPaused(null);
        }
        log.info("Maintenance pause {} of {} {} by {} until {}: {}", id, valid.kind(), valid.name(), by, valid.until(),
                valid.reason());
        return repository.find(id).orElseThrow();
    }

    private static Conflict alreadyPaused(Pause active) {
        return new Conflict("target", active == null ? "The target is already paused"
                : "The " + active.target().kind() + " '" + active.target().name() + "' is already paused (pause "
                + active.id() + " by " + active.pausedBy() + " until " + active.until()
                + "); end it first (POST /api/pauses/" + active.id() + "/end)");
    }

    List<Pause> list(int ended) {
        return repository.list(ended);
    }

    Pause get(long id) {
        return repository.find(id).orElseThrow(() -> new NotFound("id", "No maintenance pause " + id));
    }

    /** Ends a pause early on behalf of {@code by}: 404 when unknown, 409 when it has already ended. */
    @Transactional
    Pause endEarly(long id, String by) {
        Pause pause = get(id);
        return end(id, by, Pause.ENDED_EARLY, now()).orElseThrow(() -> new Conflict("id",
                "Maintenance pause " + id + " has already ended (" + pause.endKind() + " at " + pause.endedAt() + ")"));
    }

    /**
     * Ends the pause if it is still active and looks at its target; empty when another node or
     * request ended it first (that one did the rest). Runs in the caller's transaction or its own.
     */
    @Transactional
    public Optional<Pause> end(long id, String by, String endKind, Instant now) {
        Optional<Pause> ended = repository.end(id, by, endKind, now);
        if (ended.isEmpty()) {
            return Optional.empty();
        }
        Pause pause = ended.get();
        PauseTargets.Health health = targets.health(pause.target().kind(), pause.target().name(), now);
        String how = Pause.EXPIRED.equals(endKind) ? "ran out (until " + pause.until() + ")" : "ended early by " + by;
        String subject = pause.target().name();
        if (!health.unhealthy()) {
            repository.recordEnd(id, health.detail(), false, null, null);
            decisions.record(new DecisionRecorder.Decision(SENSOR, subject, SensorDecision.SKIPPED,
                    "maintenance pause " + id + " of " + pause.target().kind() + " " + subject + " " + how
                            + "; the " + pause.target().kind() + " is healthy (" + health.detail()
                            + "): the sensors watch it again", now, null, null));
            log.info("Maintenance pause {} of {} {} {}; healthy: {}", id, pause.target().kind(), subject, how,
                    health.detail());
            return repository.find(id);
        }
        String key = MaintenancePauseReviewProcess.businessKey(id);
        Map<String, Object> variables = Map.of(
                MaintenancePauseReviewProcess.VAR_PAUSE_ID, id,
                MaintenancePauseReviewProcess.VAR_TARGET_KIND, pause.target().kind().code(),
                MaintenancePauseReviewProcess.VAR_TARGET_NAME, subject,
                MaintenancePauseReviewProcess.VAR_PAUSE_REASON, pause.reason(),
                MaintenancePauseReviewProcess.VAR_PAUSED_BY, pause.pausedBy(),
                MaintenancePauseReviewProcess.VAR_PAUSED_UNTIL, pause.until().toString(),
                MaintenancePauseReviewProcess.VAR_ENDED, how + " at " + now,
                MaintenancePauseReviewProcess.VAR_HEALTH_AT_END, health.detail());
        String processInstanceId = system.call(() ->
                runtime.startProcessInstanceByKey(MaintenancePauseReviewProcess.KEY, key, variables)).getId();
        repository.recordEnd(id, health.detail(), true, "pending", processInstanceId);
        decisions.record(new DecisionRecorder.Decision(SENSOR, subject, SensorDecision.STARTED,
                "maintenance pause " + id + " of " + pause.target().kind() + " " + subject + " " + how + "; the "
                        + pause.target().kind() + " is unhealthy (" + health.detail() + "): operators review it "
                        + "before any sensor acts on it", now, key, processInstanceId));
        log.warn("Maintenance pause {} of {} {} {} while it is unhealthy ({}); review {} started, the sensors hold off "
                + "until it is completed", id, pause.target().kind(), subject, how, health.detail(), processInstanceId);
        return repository.find(id);
    }

    /** Called by the review task's listener: the hold ends when an operator completes the review. */
    void closeReview(long id, String state, String by, String note) {
        if (repository.closeReview(id, state, by, now(), note)) {
            log.info("Review of maintenance pause {} {} by {}", id, state, by);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
