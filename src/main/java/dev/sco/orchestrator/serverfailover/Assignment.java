package dev.sco.orchestrator.serverfailover;

import java.util.List;

import dev.sco.orchestrator.estate.CalloutAuth;

/**
 * What a management server is told after a failover ({@code direction} failover: the standby
 * takes over {@code sites} and {@code jobs} from {@code from}) or a failback (the server that is
 * back runs them again, {@code from} the standby). {@code url} null: the server registered no
 * assignment address.
 */
record Assignment(long outageId, String direction, String server, String from, String url, CalloutAuth auth,
                  List<String> sites, List<Job> jobs) {

    static final String FAILOVER = "failover";
    static final String FAILBACK = "failback";

    record Job(String name, String kind, String site) {
    }

    /** Same outage, same direction, same server: the same key on every try. */
    String idempotencyKey() {
        return "server-outage-" + outageId + "-" + direction + "-" + server;
    }
}
