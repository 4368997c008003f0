package dev.sco.orchestrator.serverfailover;

import java.time.Instant;
import java.util.List;

/** What a management server runs: its sites and its jobs, as the API answers them. */
final class ServerWork {

    private ServerWork() {
    }

    record Site(String name, Instant updatedAt) {
    }

    record Job(String name, String kind, String site, Instant updatedAt) {
    }

    /** {@code GET /api/servers/{name}/sites}. */
    record Sites(String server, List<Site> sites) {
    }

    /** {@code GET /api/servers/{name}/jobs}. */
    record Jobs(String server, List<Job> jobs) {
    }
}
