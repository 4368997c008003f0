package dev.sco.orchestrator.serverfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.quartz.JobDetail;
import org.quartz.SimpleTrigger;

/** Detector settings: refused values name their variable; a 5 s detector is a 5 s trigger. */
class ServerFailoverSettingsTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void detectorRunsEveryFiveSecondsWhenSoConfigured() {
        ServerFailoverSettings settings = new ServerFailoverSettings(Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(10));
        ServerFailoverConfiguration configuration = new ServerFailoverConfiguration(settings);
        JobDetail job = configuration.serverHeartbeatDetectorJob();

        SimpleTrigger trigger = (SimpleTrigger) configuration.serverHeartbeatDetectorTrigger(job, settings);

        assertThat(trigger.getRepeatInterval()).isEqualTo(5_000);
        assertThat(trigger.getRepeatCount()).isEqualTo(SimpleTrigger.REPEAT_INDEFINITELY);
        assertThat(job.getJobClass()).isEqualTo(ServerHeartbeatDetectorJob.class);
        assertThat(job.isConcurrentExecutionDisallowed()).isTrue();
    }

    @Test
    void refusesIntervalsOutsideOneSecondToOneHour() {
        assertRefused(new ServerFailoverSettings(Duration.ZERO, MINUTE, MINUTE), "ORCHESTRATOR_DETECTOR_INTERVAL");
        assertRefused(new ServerFailoverSettings(Duration.ofHours(2), MINUTE, MINUTE), "ORCHESTRATOR_DETECTOR_INTERVAL");
    }

    @Test
    void refusesNegativeOrAbsurdGraceAndCoolDown() {
        assertRefused(new ServerFailoverSettings(MINUTE, Duration.ofSeconds(-1), MINUTE), "ORCHESTRATOR_DETECTOR_GRACE");
        assertRefused(new ServerFailoverSettings(MINUTE, MINUTE, Duration.ofDays(30)), "ORCHESTRATOR_FAILOVER_COOLDOWN");
    }

    private static void assertRefused(ServerFailoverSettings settings, String variable) {
        assertThatThrownBy(() -> ServerFailoverConfiguration.validate(settings))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining(variable);
    }
}
