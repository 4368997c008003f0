package dev.sco.orchestrator.platform.decision;

import java.time.Duration;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Validates the decision retention settings and schedules the purge in the clustered Quartz store. */
@Configuration(proxyBeanMethods = false)
class DecisionConfiguration {

    DecisionConfiguration(DecisionSettings settings) {
        // Under a day the records that explain last night's outage would be gone by morning.
        if (settings.retention() == null || settings.retention().compareTo(Duration.ofDays(1)) < 0) {
            throw new InvalidSettingException("ORCHESTRATOR_DECISION_RETENTION",
                    "must be at least 1d, was " + settings.retention());
        }
        if (!CronExpression.isValidExpression(settings.cron())) {
            throw new InvalidSettingException("ORCHESTRATOR_DECISION_RETENTION_CRON",
                    "is not a Quartz cron expression: " + settings.cron());
        }
    }

    @Bean
    JobDetail decisionRetentionJob() {
        return JobBuilder.newJob(DecisionRetentionJob.class).withIdentity("decision-retention", "platform")
                .withDescription("Removes sensor decisions past their retention").storeDurably().build();
    }

    /** A missed purge is not made up at once: the next one removes the same rows. */
    @Bean
    Trigger decisionRetentionTrigger(JobDetail decisionRetentionJob, DecisionSettings settings) {
        return TriggerBuilder.newTrigger().forJob(decisionRetentionJob).withIdentity("decision-retention", "platform")
                .withSchedule(CronScheduleBuilder.cronSchedule(settings.cron())
                        .withMisfireHandlingInstructionDoNothing())
                .build();
    }
}
