package dev.sco.orchestrator.pause;

import java.time.Duration;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Validates the pause settings and schedules the pause watchdog in the clustered Quartz store. */
@Configuration(proxyBeanMethods = false)
class PauseConfiguration {

    PauseConfiguration(PauseSettings settings) {
        if (settings.maxDuration() == null || settings.maxDuration().compareTo(Duration.ofMinutes(1)) < 0
                || settings.maxDuration().compareTo(Duration.ofDays(7)) > 0) {
            throw new InvalidSettingException("ORCHESTRATOR_PAUSE_MAX_DURATION",
                    "must be between 1m and 7d, was " + settings.maxDuration());
        }
        if (settings.watchdogInterval() == null || settings.watchdogInterval().compareTo(Duration.ofSeconds(1)) < 0
                || settings.watchdogInterval().compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidSettingException("ORCHESTRATOR_PAUSE_WATCHDOG_INTERVAL",
                    "must be between 1s and 1h, was " + settings.watchdogInterval());
        }
    }

    @Bean
    JobDetail pauseWatchdogJob() {
        return JobBuilder.newJob(PauseWatchdogJob.class).withIdentity("pause-watchdog", "pauses")
                .withDescription("Ends maintenance pauses whose time is up and has unhealthy targets reviewed")
                .storeDurably().build();
    }

    /** A missed run is not made up: the next pass ends every pause that is due. */
    @Bean
    Trigger pauseWatchdogTrigger(JobDetail pauseWatchdogJob, PauseSettings settings) {
        return TriggerBuilder.newTrigger().forJob(pauseWatchdogJob).withIdentity("pause-watchdog", "pauses")
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(settings.watchdogInterval().toMillis()).repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
    }
}
