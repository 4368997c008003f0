package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Validates the failover settings and schedules the health probe in the clustered Quartz store. */
@Configuration(proxyBeanMethods = false)
class FailoverConfiguration {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FailoverConfiguration.class);

    FailoverConfiguration(FailoverSettings settings) {
        if (settings.autoApproveEnabled() && settings.autoApproveSqlFenceOnly()) {
            log.warn("ORCHESTRATOR_FAILOVER_AUTO_APPROVE_SQL_FENCE_ONLY=true: the auto-approval policy also approves "
                    + "failovers of databases with no fencing agent or writers method registered; an unreachable "
                    + "primary then cannot be fenced without a DBA, and nobody decided to fail it over");
        }
        if (settings.probeInterval().toMillis() < 500) {
            throw new InvalidSettingException("ORCHESTRATOR_FAILOVER_PROBE_INTERVAL", "must be at least 500ms");
        }
        if (settings.probeFailures() < 1 || settings.probeFailures() > 100) {
            throw new InvalidSettingException("ORCHESTRATOR_FAILOVER_PROBE_FAILURES", "must be between 1 and 100");
        }
        if (settings.probeTimeout().toMillis() < 100 || settings.probeTimeout().toSeconds() > 60) {
            throw new InvalidSettingException("ORCHESTRATOR_FAILOVER_PROBE_TIMEOUT", "must be between 100ms and 60s");
        }
        if (settings.autoApproveMaxDataLoss().isNegative()) {
            throw new InvalidSettingException("ORCHESTRATOR_FAILOVER_AUTO_APPROVE_MAX_DATA_LOSS",
                    "must be zero (never) or a positive duration");
        }
        if (settings.verifyTimeout().isNegative() || settings.verifyTimeout().toMinutes() > 30) {
            throw new InvalidSettingException("ORCHESTRATOR_FAILOVER_VERIFY_TIMEOUT", "must be between 0 and 30 minutes");
        }
        if (settings.verifyPoll().toMillis() < 100 || settings.verifyPoll().toMinutes() > 5) {
            throw new InvalidSettingException("ORCHESTRATOR_FAILOVER_VERIFY_POLL", "must be between 100ms and 5 minutes");
        }
    }

    @Bean
    JobDetail databaseHealthProbeJob() {
        return JobBuilder.newJob(DatabaseHealthProbeJob.class).withIdentity("database-health-probe", "dbfailover")
                .withDescription("Probes every primary database; starts an unplanned failover after repeated failures")
                .storeDurably().build();
    }

    /** A missed probe is skipped, not made up: only the present state of a primary matters. */
    @Bean
    Trigger databaseHealthProbeTrigger(JobDetail databaseHealthProbeJob, FailoverSettings settings) {
        return TriggerBuilder.newTrigger().forJob(databaseHealthProbeJob).withIdentity("database-health-probe", "dbfailover")
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(settings.probeInterval().toMillis()).repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
    }
}
