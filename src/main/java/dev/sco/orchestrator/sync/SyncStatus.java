package dev.sco.orchestrator.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.sco.orchestrator.platform.target.TargetDatabases;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What a pair's sync looks like now: the run log, the flag, the last success and the data-loss
 * window (how much the failover database may lack), for the API and as Actuator metrics.
 */
@Component
class SyncStatus {

    private final SyncRepository repository;
    private final SyncService service;
    private final SyncTables tables;
    private final SyncSchedule schedule;
    private final TargetDatabases targets;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Set<String> metered = ConcurrentHashMap.newKeySet();

    SyncStatus(SyncRepository repository, SyncService service, SyncTables tables, SyncSchedule schedule,
               TargetDatabases targets, MeterRegistry meters, Clock clock) {
        this.repository = repository;
        this.service = service;
        this.tables = tables;
        this.schedule = schedule;
        this.targets = targets;
        this.meters = meters;
        this.clock = clock;
    }

    record Running(long runId, String node, Instant since, Instant heartbeatAt, boolean stale) {
    }

    record Stopped(Instant since, String reason) {
    }

    record LastSuccess(long runId, Instant endedAt, Instant checkpoint) {
    }

    record TableStatus(String table, String kind, String incrementColumn, Instant checkpoint, Long rowsCopied) {
    }

    record View(String database, String failover, Running running, Stopped stopped, int consecutiveFailures,
                String schedule, Instant nextRunAt, String maintenanceWindow, LastSuccess lastSuccess,
                Long dataLossWindowSeconds, List<TableStatus> tables, List<SyncRepository.Run> runs) {
    }

    View view(SyncPair pair, int limit) {
        register(pair.primary());
        String database = pair.primary();
        var state = repository.state(database);
        Running running = state.filter(SyncRepository.State::running)
                .map(s -> new Running(s.runningRunId(), s.runningNode(), s.runningSince(), s.heartbeatAt(),
                        service.stale(s)))
                .orElse(null);
        Stopped stopped = state.filter(s -> s.stoppedAt() != null)
                .map(s -> new Stopped(s.stoppedAt(), s.stoppedReason())).orElse(null);
        LastSuccess last = repository.lastSuccess(database)
                .map(r -> new LastSuccess(r.id(), r.endedAt(), r.checkpoint())).orElse(null);
        Map<String, SyncRepository.Checkpoint> checkpoints = new java.util.HashMap<>();
        repository.checkpointRows(database).forEach(c -> checkpoints.put(c.table(), c));
        List<TableStatus> tableStatus = tables.tables(database).stream().map(t -> {
            SyncRepository.Checkpoint c = checkpoints.get(t.table().toString());
            return new TableStatus(t.table().toString(), t.kind().label(), t.incrementColumn(),
                    c == null ? null : c.checkpoint(), c == null ? null : c.rowsCopied());
        }).toList();
        Instant nextRun = schedule.trigger(database).map(t -> t.getNextFireTime()).map(Date::toInstant).orElse(null);
        return new View(database, pair.failover(), running, stopped,
                state.map(SyncRepository.State::consecutiveFailures).orElse(0),
                schedule.state(database).map(s -> s.name().toLowerCase()).orElse("none"), nextRun,
                service.window(database).enabled() ? service.window(database).toString() : null, last,
                last == null ? null : Duration.between(last.checkpoint(), clock.instant()).toSeconds(),
                tableStatus, repository.runs(database, limit));
    }

    /** Gauges of every registered pair, from the start (a pair registered later gets them at its first look-up). */
    @EventListener(ApplicationReadyEvent.class)
    void registerAll() {
        targets.endpoints().stream().filter(e -> "primary".equals(e.role()) && e.pairedWith() != null)
                .forEach(e -> register(e.name()));
    }

    void register(String database) {
        registerTables(database);
        if (!metered.add(database)) {
            return;
        }
        Gauge.builder("sync.last.success.timestamp", () -> repository.lastSuccess(database)
                        .map(r -> (double) r.endedAt().getEpochSecond()).orElse(Double.NaN))
                .tag("database", database).baseUnit("seconds")
                .description("End of the last successful sync run (epoch seconds)").register(meters);
        Gauge.builder("sync.data.loss.window.seconds", () -> repository.lastSuccess(database)
                        .map(r -> (double) Duration.between(r.checkpoint(), clock.instant()).toSeconds())
                        .orElse(Double.NaN))
                .tag("database", database).baseUnit("seconds")
                .description("Now minus the checkpoint of the last successful run: what a failover could lose")
                .register(meters);
        Gauge.builder("sync.consecutive.failures", () -> repository.state(database)
                        .map(s -> (double) s.consecutiveFailures()).orElse(0.0))
                .tag("database", database).description("Failed runs since the last success").register(meters);
        Gauge.builder("sync.running", () -> repository.state(database)
                        .map(s -> s.running() ? 1.0 : 0.0).orElse(0.0))
                .tag("database", database).description("1 while a run holds the is-running flag").register(meters);
    }

    /** A gauge per table, also for tables set after the pair's first look-up. */
    private void registerTables(String database) {
        for (SyncTable table : tables.tables(database)) {
            String name = table.table().toString();
            if (!metered.add(database + "/" + name)) {
                continue;
            }
            Gauge.builder("sync.table.rows", () -> repository.checkpointRows(database).stream()
                            .filter(c -> c.table().equals(name)).findFirst()
                            .map(c -> (double) c.rowsCopied()).orElse(Double.NaN))
                    .tags("database", database, "table", name)
                    .description("Rows copied by the table's last successful task").register(meters);
        }
    }
}
