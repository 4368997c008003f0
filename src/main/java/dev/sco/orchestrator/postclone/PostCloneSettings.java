package dev.sco.orchestrator.postclone;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When the post-clone checks run and how long agent issues are kept.
 *
 * @param firstCheckAfter  offset of check 1 from the clone's completion (default 15 min)
 * @param secondCheckAfter offset of check 2 from the clone's completion (default 75 min)
 * @param retention        which purge policy applies, and its ages
 */
@ConfigurationProperties("orchestrator.post-clone")
public record PostCloneSettings(
        @DefaultValue("15m") Duration firstCheckAfter,
        @DefaultValue("75m") Duration secondCheckAfter,
        @DefaultValue Retention retention) {

    public enum RetentionPolicy {
        SINCE_LAST_DETECTED, SINCE_CREATED;

        static RetentionPolicy parse(String value) {
            return switch (value.trim().toLowerCase()) {
                case "since-last-detected" -> SINCE_LAST_DETECTED;
                case "since-created" -> SINCE_CREATED;
                default -> throw new IllegalArgumentException(value);
            };
        }

        public String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /**
     * @param policy            {@code since-last-detected} (issues not detected for a while) or
     *                          {@code since-created} (issues older than a fixed age, whatever their state)
     * @param sinceLastDetected age for the first policy (default 30 days)
     * @param sinceCreated      age for the second policy (default 10 days)
     * @param cron              when the daily purge runs (Quartz cron)
     */
    public record Retention(
            @DefaultValue("since-last-detected") String policy,
            @DefaultValue("30d") Duration sinceLastDetected,
            @DefaultValue("10d") Duration sinceCreated,
            @DefaultValue("0 30 3 * * ?") String cron) {

        public RetentionPolicy policyValue() {
            return RetentionPolicy.parse(policy);
        }

        public Duration age() {
            return policyValue() == RetentionPolicy.SINCE_CREATED ? sinceCreated : sinceLastDetected;
        }
    }
}
