package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.sco.orchestrator.platform.continuity.FiveFieldCron;
import dev.sco.orchestrator.platform.continuity.GroomingSchedules;
import dev.sco.orchestrator.platform.target.SqlStatementSplitter;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registration of the database jobs of a database (the API, and the demo estate at start-up). Each
 * statement is one statement (no batch), at most {@value #MAX_STATEMENT} characters, and no
 * transaction or session control: the switch step runs it in a transaction of its own under a
 * statement timeout. Every problem is a 400 naming the field; nothing is written unless all is valid.
 */
@Service
public class DatabaseJobs {

    static final int MAX_JOBS = 50;
    static final int MAX_STATEMENT = 4000;
    static final Duration MIN_DURATION = Duration.ofMinutes(1);
    static final Duration MAX_DURATION = Duration.ofHours(24);

    /** Statements that would end, begin or change the session or transaction the orchestrator runs them in. */
    private static final Set<String> REFUSED_FIRST_WORDS = Set.of("begin", "start", "commit", "end", "rollback",
            "abort", "savepoint", "release", "prepare", "set", "reset", "discard", "load", "vacuum", "checkpoint",
            "copy", "listen", "unlisten");

    private final DatabaseJobRepository repository;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    DatabaseJobs(DatabaseJobRepository repository, Clock clock, ApplicationEventPublisher events) {
        this.repository = repository;
        this.clock = clock;
        this.events = events;
    }

    /**
     * One job. {@code grooming}: the grooming job (stays enabled on both sides); {@code schedule} (five
     * cron fields), {@code scheduleZone} (default UTC) and {@code expectedDuration} (e.g. 45m) only
     * for it. Maintenance jobs need both statements; a grooming job may give its enable statement alone.
     */
    public record JobSpec(String name, String enableSql, String disableSql, Boolean grooming, String schedule,
                          String scheduleZone, String expectedDuration) {
    }

    /** Replaces the jobs of {@code database} (400 naming the field, 404 for an unknown database). */
    @Transactional
    public void replace(String database, List<JobSpec> jobs, String by) {
        List<DatabaseJob> valid = validate(database, jobs);
        if (!repository.lockDatabase(database)) {
            throw new NotFound("name", "No database named " + database);
        }
        repository.replace(database, valid, by, clock.instant());
        events.publishEvent(new GroomingSchedules.Changed(database));
    }

    /**
     * Registers the jobs when none with statements are registered for the database yet (a start-up
     * seed: an operator's registration is kept). Answers whether it wrote them.
     */
    @Transactional
    public boolean seed(String database, List<JobSpec> jobs, String by) {
        List<DatabaseJob> valid = validate(database, jobs);
        if (!repository.lockDatabase(database)) {
            throw new NotFound("name", "No database named " + database);
        }
        if (repository.jobs(database).stream().anyMatch(j -> j.enableSql() != null || j.disableSql() != null)) {
            return false;
        }
        repository.replace(database, valid, by, clock.instant());
        events.publishEvent(new GroomingSchedules.Changed(database));
        return true;
    }

    private static List<DatabaseJob> validate(String database, List<JobSpec> requests) {
        if (requests.size() > MAX_JOBS) {
            throw new BadRequest("jobs", "'jobs' lists at most " + MAX_JOBS + " jobs");
        }
        List<DatabaseJob> jobs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean scheduled = false;
        for (int i = 0; i < requests.size(); i++) {
            String field = "jobs[" + i + "]";
            JobSpec r = requests.get(i);
            if (r == null) {
                throw new BadRequest(field, "'" + field + "' must be a job");
            }
            String jobName = Inputs.name(field + ".name", r.name());
            if (!names.add(jobName)) {
                throw new BadRequest(field + ".name", "job '" + jobName + "' is listed twice");
            }
            boolean grooming = Boolean.TRUE.equals(r.grooming());
            String enable = r.enableSql() == null && grooming ? null : statement(field + ".enableSql", r.enableSql());
            String disable = r.disableSql() == null && grooming ? null : statement(field + ".disableSql", r.disableSql());
            String schedule = null;
            String zone = null;
            Duration expected = null;
            if (!grooming) {
                for (String[] f : new String[][] {{"schedule", r.schedule()}, {"scheduleZone", r.scheduleZone()},
                        {"expectedDuration", r.expectedDuration()}}) {
                    if (f[1] != null) {
                        throw new BadRequest(field + "." + f[0], "'" + f[0] + "' belongs to the grooming job only");
                    }
                }
            } else if (r.schedule() != null) {
                if (scheduled) {
                    throw new BadRequest(field + ".schedule", "only one grooming job per database may have a schedule");
                }
                scheduled = true;
                try {
                    schedule = FiveFieldCron.parse(r.schedule()).toString();
                } catch (IllegalArgumentException e) {
                    throw new BadRequest(field + ".schedule", "'schedule' " + e.getMessage());
                }
                zone = zone(field + ".scheduleZone", r.scheduleZone());
                expected = duration(field + ".expectedDuration", r.expectedDuration());
            } else {
                for (String[] f : new String[][] {{"scheduleZone", r.scheduleZone()},
                        {"expectedDuration", r.expectedDuration()}}) {
                    if (f[1] != null) {
                        throw new BadRequest(field + "." + f[0], "'" + f[0] + "' needs a 'schedule'");
                    }
                }
            }
            jobs.add(new DatabaseJob(database, jobName, grooming, enable, disable, schedule, zone, expected, null, null,
                    null, null));
        }
        return jobs;
    }

    /** One statement to run on the database: required, bounded, a single statement, no transaction or session control. */
    static String statement(String field, String sql) {
        Inputs.required(field, sql);
        if (sql.isBlank()) {
            throw new BadRequest(field, "'" + field + "' must not be blank");
        }
        if (sql.length() > MAX_STATEMENT) {
            throw new BadRequest(field, "'" + field + "' must be at most " + MAX_STATEMENT + " characters");
        }
        if (sql.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            throw new BadRequest(field, "'" + field + "' must not contain control characters other than line breaks and tabs");
        }
        List<String> statements;
        try {
            statements = SqlStatementSplitter.split(sql);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(field, "'" + field + "' is not a complete statement: " + e.getMessage());
        }
        if (statements.size() != 1) {
            throw new BadRequest(field, "'" + field + "' must be exactly one statement, not " + statements.size()
                    + " (no ';'-separated batches)");
        }
        String statement = statements.get(0);
        String first = statement.split("[^A-Za-z_]", 2)[0].toLowerCase(Locale.ROOT);
        if (REFUSED_FIRST_WORDS.contains(first)) {
            throw new BadRequest(field, "'" + field + "' may not be a " + first.toUpperCase(Locale.ROOT)
                    + " statement: each statement runs in a transaction of its own, under a statement timeout");
        }
        return statement;
    }

    private static String zone(String field, String value) {
        if (value == null) {
            return "UTC";
        }
        try {
            return ZoneId.of(Inputs.text(field, value, 64)).getId();
        } catch (DateTimeException e) {
            throw new BadRequest(field, "'scheduleZone' must be a time zone such as UTC or Europe/Paris");
        }
    }

    private static Duration duration(String field, String value) {
        Inputs.required(field, value);
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(value.trim());
        } catch (RuntimeException e) {
            throw new BadRequest(field, "'expectedDuration' must be a duration such as 45m or PT45M");
        }
        if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(MAX_DURATION) > 0) {
            throw new BadRequest(field, "'expectedDuration' must be between 1m and 24h");
        }
        return duration;
    }
}
