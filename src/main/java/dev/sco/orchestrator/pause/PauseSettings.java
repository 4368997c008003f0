package dev.sco.orchestrator.pause;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Maintenance pauses.
 *
 * @param maxDuration      the longest pause ({@code until} at most this far from its creation; 1m to 7d)
 * @param watchdogInterval how often the pause watchdog ends the pauses whose {@code until} has passed (1s to 1h)
 */
@ConfigurationProperties("orchestrator.pauses")
public record PauseSettings(
        @DefaultValue("8h") Duration maxDuration,
        @DefaultValue("1m") Duration watchdogInterval) {
}
