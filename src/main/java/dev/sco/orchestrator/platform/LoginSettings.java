package dev.sco.orchestrator.platform;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Throttling of failed logins per client address (see {@link LoginThrottle}).
 *
 * @param maxFailures       failed logins from one address within {@code window} after which the
 *                          address is blocked
 * @param window            the window failures are counted in (it starts at an address's first failure)
 * @param blockFor          how long a blocked address gets 429
 * @param trustForwardedFor take the client address from the last {@code X-Forwarded-For} entry
 *                          (only behind one reverse proxy that sets it; otherwise any client could
 *                          pick its own address and dodge the throttle)
 */
@ConfigurationProperties("orchestrator.login")
public record LoginSettings(
        @DefaultValue("20") int maxFailures,
        @DefaultValue("1m") Duration window,
        @DefaultValue("5m") Duration blockFor,
        @DefaultValue("false") boolean trustForwardedFor) {

    /** Refuses settings that would switch the throttle off or block for ever. */
    void validate() {
        if (maxFailures < 1 || maxFailures > 100_000) {
            throw new InvalidSettingException("ORCHESTRATOR_LOGIN_MAX_FAILURES", "must be between 1 and 100000");
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new InvalidSettingException("ORCHESTRATOR_LOGIN_WINDOW", "must be between 1s and 1d");
        }
        if (blockFor.compareTo(Duration.ofSeconds(1)) < 0 || blockFor.compareTo(Duration.ofDays(1)) > 0) {
            throw new InvalidSettingException("ORCHESTRATOR_LOGIN_BLOCK_FOR", "must be between 1s and 1d");
        }
    }
}
