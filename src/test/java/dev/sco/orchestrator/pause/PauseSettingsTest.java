package dev.sco.orchestrator.pause;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.quartz.JobDetail;
import org.quartz.SimpleTrigger;

/** Pause settings: refused values name their variable; the watchdog is a clustered Quartz job. */
class PauseSettingsTest {

    @Test
    void watchdogRunsAtItsIntervalOneNodeAtATime() {
        PauseSettings settings = new PauseSettings(Duration.ofHours(8), Duration.ofMinutes(1));
        PauseConfiguration configuration = new PauseConfiguration(settings);
        JobDetail job = configuration.pauseWatchdogJob();

        SimpleTrigger trigger = (SimpleTrigger) configuration.pauseWatchdogTrigger(job, settings);

        assertThat(trigger.getRepeatInterval()).isEqualTo(60_000);
        assertThat(job.getJobClass()).isEqualTo(PauseWatchdogJob.class);
        assertThat(job.isConcurrentExecutionDisallowed()).isTrue();
    }

    @Test
    void refusesAMaximumDurationOutsideOneMinuteToSevenDays() {
        assertRefused(new PauseSettings(Duration.ofSeconds(59), Duration.ofMinutes(1)), "ORCHESTRATOR_PAUSE_MAX_DURATION");
        assertRefused(new PauseSettings(Duration.ofDays(8), Duration.ofMinutes(1)), "ORCHESTRATOR_PAUSE_MAX_DURATION");
    }

    @Test
    void refusesAWatchdogIntervalOutsideOneSecondToOneHour() {
        assertRefused(new PauseSettings(Duration.ofHours(8), Duration.ZERO), "ORCHESTRATOR_PAUSE_WATCHDOG_INTERVAL");
        assertRefused(new PauseSettings(Duration.ofHours(8), Duration.ofHours(2)), "ORCHESTRATOR_PAUSE_WATCHDOG_INTERVAL");
    }

    private static void assertRefused(PauseSettings settings, String variable) {
        assertThatThrownBy(() -> new PauseConfiguration(settings))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining(variable);
    }
}
