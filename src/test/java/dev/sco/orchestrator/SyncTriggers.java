package dev.sco.orchestrator;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/**
 * Gives a test pair the Quartz trigger a scheduled pair has in production (tests run with the
 * schedule off), starting far enough ahead that it never fires during the test: a restoration then
 * sees "the next sync" of a scheduled pair.
 */
public final class SyncTriggers {

    private SyncTriggers() {
    }

    public static void scheduleFarAhead(Scheduler scheduler, String primary) {
        try {
            scheduler.scheduleJob(TriggerBuilder.newTrigger().withIdentity(TriggerKey.triggerKey(primary, "sync"))
                    .forJob(JobKey.jobKey("sync-run", "sync")).usingJobData("database", primary)
                    .startAt(Date.from(Instant.now().plus(Duration.ofDays(30))))
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMinutes(15).repeatForever())
                    .build());
        } catch (SchedulerException e) {
            throw new IllegalStateException(e);
        }
    }
}
