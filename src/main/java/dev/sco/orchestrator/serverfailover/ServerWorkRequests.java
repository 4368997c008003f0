package dev.sco.orchestrator.serverfailover;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/** Bodies of {@code PUT /api/servers/{name}/sites} and {@code .../jobs}: the whole list, replacing the old one. */
final class ServerWorkRequests {

    static final int MAX_ITEMS = 1_000;

    private ServerWorkRequests() {
    }

    /** {@code {"sites": ["site-a", "site-b"]}}. */
    record SitesRequest(List<String> sites) {

        List<String> validate() {
            List<String> names = Inputs.required("sites", sites);
            if (names.size() > MAX_ITEMS) {
                throw new BadRequest("sites", "'sites' lists at most " + MAX_ITEMS + " sites");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < names.size(); i++) {
                String field = "sites[" + i + "]";
                Inputs.name(field, names.get(i));
                if (!seen.add(names.get(i))) {
                    throw new BadRequest(field, "'" + field + "' (" + names.get(i) + ") is listed twice");
                }
            }
            return List.copyOf(names);
        }
    }

    /** {@code {"jobs": [{"name": "nightly-report", "kind": "report", "site": "site-a"}]}}; site is optional. */
    record JobsRequest(List<JobRequest> jobs) {

        List<JobRequest> validate() {
            List<JobRequest> list = Inputs.required("jobs", jobs);
            if (list.size() > MAX_ITEMS) {
                throw new BadRequest("jobs", "'jobs' lists at most " + MAX_ITEMS + " jobs");
            }
            Set<String> seen = new HashSet<>();
            List<JobRequest> valid = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String field = "jobs[" + i + "]";
                JobRequest job = list.get(i);
                if (job == null) {
                    throw new BadRequest(field, "'" + field + "' must be a job");
                }
                Inputs.name(field + ".name", job.name());
                if (!seen.add(job.name())) {
                    throw new BadRequest(field + ".name", "'" + field + ".name' (" + job.name() + ") is listed twice");
                }
                Inputs.required(field + ".kind", job.kind());
                if (!JobKind.valid(job.kind())) {
                    throw new BadRequest(field + ".kind", "'" + field + ".kind' must be one of " + JobKind.ALL);
                }
                Inputs.optionalName(field + ".site", job.site());
                valid.add(job);
            }
            return valid;
        }
    }

    record JobRequest(String name, String kind, String site) {
    }
}
