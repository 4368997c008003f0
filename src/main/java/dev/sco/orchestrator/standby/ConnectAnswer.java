package dev.sco.orchestrator.standby;

import java.time.Instant;
import java.util.List;

/**
 * Answer of {@code GET /api/hubs/{pair}/connect}: the hub a component should use now.
 *
 * @param redirect true when the component reached ({@code via}) another hub than {@code connectTo}
 * @param order    the order in which components configured with both hubs try them
 */
record ConnectAnswer(String pair, String connectTo, boolean redirect, String reason, List<String> order,
                     String acting, boolean actingAlive) {

    /**
     * The acting hub while it is alive; a component that reached the standby goes back to it.
     * Without a live acting hub, the first live hub in configuration order (primary, then
     * secondary): that is the standby the watch is about to promote. With no live hub, the primary.
     */
    static ConnectAnswer of(PairState pair, String via, Instant now) {
        String acting = pair.acting();
        if (acting != null && pair.alive(acting, now)) {
            boolean back = via != null && !via.equals(acting);
            String reason = back
                    ? via + " is the standby hub and the acting hub " + acting + " is alive: connect to " + acting
                    : acting + " is the acting hub";
            return new ConnectAnswer(pair.name(), acting, back, reason, pair.order(), acting, true);
        }
        for (String hub : pair.order()) {
            if (pair.alive(hub, now)) {
                String reason = acting == null
                        ? "no hub is acting yet; " + hub + " is the first live hub in the order primary, secondary"
                        : "the acting hub " + acting + " is lost; " + hub + " is alive and takes over";
                return new ConnectAnswer(pair.name(), hub, via != null && !via.equals(hub), reason, pair.order(),
                        acting, false);
            }
        }
        return new ConnectAnswer(pair.name(), pair.primary(), false,
                "no hub of the pair is alive: try the primary first, then the secondary", pair.order(), acting, false);
    }
}
