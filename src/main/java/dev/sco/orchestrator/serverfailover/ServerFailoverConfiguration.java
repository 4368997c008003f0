package dev.sco.orchestrator.serverfailover;

import java.time.Duration;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Validates the detector settings and schedules the detector in the clustered Quartz store. */
@Configuration(proxyBeanMethods = false)
class ServerFailoverConfiguration {

    static final Duration MAX_INTERVAL = Duration.ofHours(1);
    static final Duration MAX_GRACE = Duration.ofHours(1);
    static final Duration MAX_COOLDOWN = Duration.ofDays(7);

    ServerFailoverConfiguration(ServerFailoverSettings settings) {
        validate(settings);
    }

    static void validate(ServerFailoverSettings settings) {
        Duration interval = settings.detectorInterval();
        if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new InvalidSettingException("ORCHESTRATOR_DETECTOR_INTERVAL", "must be between 1s and 1h, was "
                    + interval);
        }
        if (settings.grace().isNegative() || settings.grace().compareTo(MAX_GRACE) > 0) {
            throw new InvalidSettingException("ORCHESTRATOR_DETECTOR_GRACE", "must be between 0s and 1h, was "
                    + settings.grace());
        }
        if (settings.cooldown().isNegative() || settings.cooldown().compareTo(MAX_COOLDOWN) > 0) {
            throw new InvalidSettingException("ORCHESTRATOR_FAILOVER_COOLDOWN", "must be between 0s and 7d, was "
                    + settings.cooldown());
        }
    }

    @Bean
    JobDetail serverHeartbeatDetectorJob() {
        return JobBuilder.newJob(ServerHeartbeatDetectorJob.class).withIdentity("heartbeat-detector", "server-failover")
                .withDescription("Finds servers that went Down and starts one failover per outage")
                .storeDurably().build();
    }

    /** A missed pass is not made up: the next one sees the same servers anyway. */
    @Bean
    Trigger serverHeartbeatDetectorTrigger(JobDetail serverHeartbeatDetectorJob, ServerFailoverSettings settings) {
        return TriggerBuilder.newTrigger().forJob(serverHeartbeatDetectorJob)
                .withIdentity("heartbeat-detector", "server-failover")
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(settings.detectorInterval().toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build();
    }
}
