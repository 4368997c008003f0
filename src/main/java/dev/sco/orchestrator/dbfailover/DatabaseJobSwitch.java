package dev.sco.orchestrator.dbfailover;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.sco.orchestrator.platform.target.ProbeResult;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Switches the database jobs of an operation: the disable statement of every maintenance job of the
 * database the consumers leave is run there, then the enable statement of every job of the database
 * they move to (grooming jobs too: they stay enabled on both sides, so enabling is a no-op where they
 * already run). Each statement runs on its database, under the registered credentials, in a
 * transaction of its own with a statement timeout, read-write even on a fenced database (the fence
 * keeps the consumers out; the orchestrator still switches the jobs there); each outcome is
 * written at once.
 * <p>
 * A disable that fails (the old side is dead or refuses) is recorded and the switch goes on: that
 * side is fenced anyway. An enable that fails fails the switch, after the other jobs were tried,
 * so the step fails visibly and is retried; a retry skips every statement that already succeeded
 * for the operation.
 */
@Component
class DatabaseJobSwitch {

    static final String ENABLE = "enable";
    static final String DISABLE = "disable";

    private static final Logger log = LoggerFactory.getLogger(DatabaseJobSwitch.class);

    private final DatabaseJobRepository repository;
    private final TargetDatabases targets;
    private final FailoverSettings failoverSettings;
    private final DatabaseJobSettings settings;
    private final Clock clock;

    DatabaseJobSwitch(DatabaseJobRepository repository, TargetDatabases targets, FailoverSettings failoverSettings,
                      DatabaseJobSettings settings, Clock clock) {
        this.repository = repository;
        this.targets = targets;
        this.failoverSettings = failoverSettings;
        this.settings = settings;
        this.clock = clock;
    }

    /** The flags to write once the step is recorded: the state each job was brought to. */
    record Switched(String database, String job, boolean enabled) {
    }

    /**
     * Runs the statements (call it outside any transaction: each result commits on its own).
     * Answers the job states to record; throws when a job could not be enabled on the new side.
     */
    List<Switched> switchJobs(ContinuityOperation op) {
        List<Switched> switched = new ArrayList<>();
        List<DatabaseJob> leaving = repository.jobs(op.from()).stream().filter(j -> !j.grooming()).toList();
        String unreachable = null;
        if (leaving.stream().anyMatch(j -> j.disableSql() != null
                && !repository.succeeded(op.id(), op.from(), j.name(), DISABLE))) {
            ProbeResult probe = targets.probe(op.from(), failoverSettings.probeTimeout());
            unreachable = probe.reachable() ? null : probe.error();
        }
        for (DatabaseJob job : leaving) {
            if (run(op, job, DISABLE, job.disableSql(), unreachable) == null) {
                switched.add(new Switched(op.from(), job.name(), false));
            }
        }
        List<String> failures = new ArrayList<>();
        for (DatabaseJob job : repository.jobs(op.to())) {
            if (job.grooming() && job.enableSql() == null) {
                continue;
            }
            String error = run(op, job, ENABLE, job.enableSql(), null);
            if (error == null) {
                switched.add(new Switched(op.to(), job.name(), true));
            } else {
                failures.add(job.name() + ": " + error);
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("Database jobs could not be enabled on " + op.to() + " ("
                    + String.join("; ", failures) + "). Every result is in GET /api/failovers/" + op.id()
                    + "/jobs; fix the job or its statement, then retry the step (those that succeeded are not run again)");
        }
        log.info("{} {}: database jobs switched from {} to {}: {}", op.kind(), op.id(), op.from(), op.to(), switched);
        return switched;
    }

    /** Runs one statement unless it already succeeded for the operation; answers the error, or null. */
    private String run(ContinuityOperation op, DatabaseJob job, String action, String sql, String unreachable) {
        String database = job.database();
        if (repository.succeeded(op.id(), database, job.name(), action)) {
            return null;
        }
        if (sql == null) {
            repository.recordResult(op.id(), database, job.name(), action, "flag-only",
                    "no statement registered: only the orchestrator's flag is changed", null, clock.instant());
            return null;
        }
        if (unreachable != null) {
            String error = "not run: " + database + " is unreachable (" + unreachable + ")";
            repository.recordResult(op.id(), database, job.name(), action, "error", error, sql, clock.instant());
            return error;
        }
        try {
            String detail = execute(database, sql);
            repository.recordResult(op.id(), database, job.name(), action, "ok", detail, sql, clock.instant());
            return null;
        } catch (SQLException | RuntimeException e) {
            String error = describe(e);
            log.warn("{} {}: {} of database job {} on {} failed: {}", op.kind(), op.id(), action, job.name(), database,
                    error);
            repository.recordResult(op.id(), database, job.name(), action, "error", error, sql, clock.instant());
            return error;
        }
    }

    private String execute(String database, String sql) throws SQLException {
        try (Connection connection = targets.dataSource(database).getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // The side being left is fenced (read-only by default, consumers locked out); the
                // orchestrator's own switch of its jobs is the one write it still makes there.
                statement.execute("set transaction read write");
                statement.execute("set local statement_timeout = " + settings.statementTimeout().toMillis());
                boolean rows = statement.execute(sql);
                String detail;
                if (rows) {
                    try (ResultSet rs = statement.getResultSet()) {
                        detail = rs.next() ? "returned " + abbreviate(String.valueOf(rs.getObject(1))) : "returned no row";
                    }
                } else {
                    detail = statement.getUpdateCount() + " rows changed";
                }
                connection.commit();
                return detail;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            message = "SQLState " + sql.getSQLState() + ": " + message;
        }
        return abbreviate(message);
    }

    private static String abbreviate(String text) {
        return text.length() > 1000 ? text.substring(0, 1000) + "..." : text;
    }
}
