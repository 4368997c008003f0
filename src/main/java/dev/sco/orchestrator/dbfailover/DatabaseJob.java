package dev.sco.orchestrator.dbfailover;

import java.time.Duration;
import java.time.Instant;

/**
 * A scheduled job of the application on one database, as registered for it: the statements that
 * enable and disable it there, and whether it is the grooming job (which stays enabled on both
 * sides; every other job runs only on the database that acts as primary). A grooming job may carry
 * its schedule (five cron fields in {@code scheduleZone}) and expected duration: the pair's
 * maintenance window follows it. {@code enabled} is the state the orchestrator last set, null
 * until an operation switched the job.
 */
record DatabaseJob(String database, String name, boolean grooming, String enableSql, String disableSql,
                   String schedule, String scheduleZone, Duration expectedDuration, Boolean enabled,
                   Instant changedAt, Instant updatedAt, String updatedBy) {

    static final String MAINTENANCE = "maintenance";
    static final String GROOMING = "grooming";

    String kind() {
        return grooming ? GROOMING : MAINTENANCE;
    }
}
