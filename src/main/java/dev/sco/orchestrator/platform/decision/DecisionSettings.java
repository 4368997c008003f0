package dev.sco.orchestrator.platform.decision;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long sensor decision records are kept.
 *
 * @param retention a record whose latest occurrence is older than this is removed
 * @param cron      when the purge runs (Quartz cron, server time zone)
 */
@ConfigurationProperties("orchestrator.decisions")
public record DecisionSettings(
        @DefaultValue("30d") Duration retention,
        @DefaultValue("0 45 3 * * ?") String cron) {
}
