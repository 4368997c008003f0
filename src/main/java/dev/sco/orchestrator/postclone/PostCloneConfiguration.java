package dev.sco.orchestrator.postclone;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Validates the post-clone settings and schedules the retention purge in the clustered Quartz store. */
@Configuration(proxyBeanMethods = false)
class PostCloneConfiguration {

    PostCloneConfiguration(PostCloneSettings settings) {
        if (settings.firstCheckAfter().isNegative() || settings.firstCheckAfter().isZero()) {
            throw new InvalidSettingException("ORCHESTRATOR_POST_CLONE_FIRST_CHECK_AFTER", "must be positive");
        }
        if (settings.secondCheckAfter().compareTo(settings.firstCheckAfter()) <= 0) {
            throw new InvalidSettingException("ORCHESTRATOR_POST_CLONE_SECOND_CHECK_AFTER",
                    "must be later than the first check");
        }
        try {
            settings.retention().policyValue();
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("ORCHESTRATOR_ISSUE_RETENTION",
                    "must be since-last-detected or since-created, was '" + settings.retention().policy() + "'");
        }
        if (settings.retention().sinceLastDetected().toHours() < 1 || settings.retention().sinceCreated().toHours() < 1) {
            throw new InvalidSettingException("ORCHESTRATOR_ISSUE_RETENTION_SINCE_LAST_DETECTED", "retention ages must be at least an hour (also ORCHESTRATOR_ISSUE_RETENTION_SINCE_CREATED)");
        }
        if (!CronExpression.isValidExpression(settings.retention().cron())) {
            throw new InvalidSettingException("ORCHESTRATOR_ISSUE_RETENTION_CRON",
                    "is not a Quartz cron expression: " + settings.retention().cron());
        }
    }

    @Bean
    JobDetail issueRetentionJob() {
        return JobBuilder.newJob(IssueRetentionJob.class).withIdentity("issue-retention", "post-clone")
                .withDescription("Removes agent issues past their retention").storeDurably().build();
    }

    @Bean
    Trigger issueRetentionTrigger(JobDetail issueRetentionJob, PostCloneSettings settings) {
        return TriggerBuilder.newTrigger().forJob(issueRetentionJob).withIdentity("issue-retention", "post-clone")
                .withSchedule(CronScheduleBuilder.cronSchedule(settings.retention().cron())
                        .withMisfireHandlingInstructionFireAndProceed())
                .build();
    }
}
