package dev.sco.orchestrator.serverfailover;

import java.util.List;

/**
 * The kinds of job a management server runs. A failover moves every job to the standby except
 * {@link #GATHERING} ones: a gathering job collects from sources that report to its own server,
 * so it stays there (and resumes when the server is back).
 */
final class JobKind {

    static final String GATHERING = "gathering";

    /** Every kind the API accepts, in the order the documentation lists them. */
    static final List<String> ALL = List.of(GATHERING, "report", "notification", "consolidation", "purge", "import",
            "script");

    private JobKind() {
    }

    static boolean valid(String kind) {
        return ALL.contains(kind);
    }
}
