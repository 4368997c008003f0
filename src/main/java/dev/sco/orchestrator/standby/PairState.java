package dev.sco.orchestrator.standby;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A hub pair as the standby feature sees it. A hub is alive while its last heartbeat is at most
 * {@code timeout} old; configuration (primary, secondary) decides only the order in which
 * components try the hubs, operation (acting, standby) decides which one serves.
 */
record PairState(
        String name,
        String primary,
        String secondary,
        String acting,
        Instant primaryLastHeartbeat,
        Instant secondaryLastHeartbeat,
        Duration timeout,
        Instant standbySyncedAt) {

    String standby() {
        return acting == null ? null : acting.equals(primary) ? secondary : primary;
    }

    boolean contains(String hub) {
        return primary.equals(hub) || secondary.equals(hub);
    }

    Instant lastHeartbeat(String hub) {
        return primary.equals(hub) ? primaryLastHeartbeat : secondary.equals(hub) ? secondaryLastHeartbeat : null;
    }

    boolean alive(String hub, Instant now) {
        Instant last = hub == null ? null : lastHeartbeat(hub);
        return last != null && !last.isBefore(now.minus(timeout));
    }

    /** Components configured with both hubs try them in this order. */
    List<String> order() {
        return List.of(primary, secondary);
    }

    /** {@code ready}, {@code resynchronising}, {@code lost}, or {@code none} while no hub is acting. */
    String standbyState(Instant now) {
        if (acting == null) {
            return "none";
        }
        if (!alive(standby(), now)) {
            return "lost";
        }
        return standbySyncedAt == null ? "resynchronising" : "ready";
    }
}
