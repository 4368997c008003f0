package dev.sco.orchestrator.standby;

import java.net.URI;
import java.time.Duration;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Validates the standby settings and schedules the standby watch in the clustered Quartz store. */
@Configuration(proxyBeanMethods = false)
class StandbyConfiguration {

    StandbyConfiguration(StandbySettings settings) {
        if (settings.watchInterval().compareTo(Duration.ofSeconds(1)) < 0
                || settings.watchInterval().compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidSettingException("ORCHESTRATOR_STANDBY_WATCH_INTERVAL",
                    "must be between 1s and 1h, was " + settings.watchInterval());
        }
        if (settings.webhookConfigured() && !isHttpUrl(settings.eventWebhook())) {
            throw new InvalidSettingException("ORCHESTRATOR_HUB_EVENT_WEBHOOK",
                    "must be empty or an http:// or https:// URL with a host");
        }
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = URI.create(value.trim());
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Bean
    JobDetail standbyWatchJob() {
        return JobBuilder.newJob(StandbyWatchJob.class).withIdentity("standby-watch", "standby")
                .withDescription("Keeps hub standbys in step and promotes one when its acting hub is lost")
                .storeDurably().build();
    }

    /** A missed run is not made up: the next pass sees the current state anyway. */
    @Bean
    Trigger standbyWatchTrigger(JobDetail standbyWatchJob, StandbySettings settings) {
        return TriggerBuilder.newTrigger().forJob(standbyWatchJob).withIdentity("standby-watch", "standby")
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(settings.watchInterval().toMillis()).repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
    }
}
