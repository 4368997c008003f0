package dev.sco.orchestrator.platform.longstep;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param lock        how long a long step's lock lasts without being extended: the time another node
 *                    waits before it takes over the step of a node that died
 * @param poll        how often each node looks for long steps to work; zero: never (tests drive the
 *                    worker themselves)
 * @param concurrency long steps one node works at the same time
 * @param retryAfter  how long a failed long step waits before it is tried again (three tries, then an
 *                    incident)
 */
@ConfigurationProperties("orchestrator.long-steps")
public record LongStepSettings(
        @DefaultValue("60s") Duration lock,
        @DefaultValue("1s") Duration poll,
        @DefaultValue("2") int concurrency,
        @DefaultValue("30s") Duration retryAfter) {
}
