package dev.sco.orchestrator.platform.continuity;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The grooming job of a database as registered with its schedule (implemented by the failover
 * feature, which keeps the database jobs). The sync of a pair takes its maintenance window from the
 * grooming job of its primary: each scheduled start, for the expected duration.
 */
public interface GroomingSchedules {

    /**
     * @param cron     five cron fields (minute, hour, day of month, month, day of week)
     * @param zone     the zone the schedule is read in
     * @param expected how long one run of the job is expected to take
     */
    record Grooming(String database, String job, String cron, ZoneId zone, Duration expected) {
    }

    /** The database's grooming job, when one is registered with a schedule. */
    Optional<Grooming> of(String database);

    /**
     * Published (after commit) when the jobs of a database were replaced, so the sync schedule can
     * follow a new or removed grooming window at once.
     */
    record Changed(String database) {
    }
}
