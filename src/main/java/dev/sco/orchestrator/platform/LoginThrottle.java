package dev.sco.orchestrator.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed logins per client address and blocks an address that has too many. It replaces
 * the engine's per-user lockout, which is switched off (application.yaml, {@code loginMaxAttempts}):
 * a lock per user lets anyone lock out a heartbeat sender by sending wrong passwords in its name,
 * after which its servers look Down and are failed over. Per address, an attacker only blocks
 * itself (and whoever shares its address).
 * <p>
 * State is per node and in memory: a blocked attacker that switches nodes gets a fresh count there,
 * which at most multiplies its guess rate by the number of nodes.
 */
public class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    /** Beyond this many tracked addresses, expired entries are dropped (bounded memory under a spray). */
    private static final int PRUNE_ABOVE = 10_000;

    private final LoginSettings settings;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public LoginThrottle(LoginSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The address requests are counted under: the remote address, or a trusted proxy's last X-Forwarded-For entry. */
    public String clientAddress(HttpServletRequest request) {
        if (settings.trustForwardedFor()) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                // The last entry is the one the trusted proxy added; earlier ones are the client's word.
                String[] hops = forwarded.split(",");
                String last = hops[hops.length - 1].trim();
                if (!last.isEmpty()) {
                    return last;
                }
            }
        }
        return request.getRemoteAddr();
    }

    /** How long the address stays blocked, or empty when it may try. */
    public Optional<Duration> blockedFor(String address) {
        Window window = windows.get(address);
        if (window == null || window.blockedUntil() == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Duration left = Duration.between(now, window.blockedUntil());
        // A clock that went back (tests, NTP) must not stretch a block beyond its length.
        if (left.isNegative() || left.isZero() || left.compareTo(settings.blockFor()) > 0) {
            return Optional.empty();
        }
        return Optional.of(left);
    }

    /** Counts one failed login of the address. */
    public void failed(String address) {
        Instant now = clock.instant();
        Window after = windows.compute(address, (key, current) -> {
            Window window = current;
            if (window == null || expired(window, now)) {
                window = new Window(now, 0, null);
            }
            int failures = window.failures() + 1;
            Instant blockedUntil = window.blockedUntil();
            if (blockedUntil == null && failures >= settings.maxFailures()) {
                blockedUntil = now.plus(settings.blockFor());
            }
            return new Window(window.start(), failures, blockedUntil);
        });
        if (after.failures() == settings.maxFailures()) {
            log.warn("Client address {} blocked for {} after {} failed logins within {}", address,
                    settings.blockFor(), after.failures(), settings.window());
        }
        if (windows.size() > PRUNE_ABOVE) {
            windows.entrySet().removeIf(entry -> expired(entry.getValue(), now));
        }
    }

    /** Forgets an address's failures and block (an administrator's or a test's reset). */
    public void forget(String address) {
        windows.remove(address);
    }

    private boolean expired(Window window, Instant now) {
        if (now.isBefore(window.start())) {
            return true;
        }
        if (window.blockedUntil() != null) {
            return !now.isBefore(window.blockedUntil());
        }
        return !now.isBefore(window.start().plus(settings.window()));
    }

    private record Window(Instant start, int failures, Instant blockedUntil) {
    }
}
