package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/** Body of {@code PUT /api/servers/{name}}; a missing period means the default of 180 s. */
record ServerRequest(ServerKind kind, String site, String standby, Integer unresponsivePeriodSeconds) {

    static final int DEFAULT_PERIOD_SECONDS = 180;
    static final int MAX_PERIOD_SECONDS = 86_400;

    void validate(String name) {
        Inputs.required("kind", kind);
        Inputs.optionalName("site", site);
        Inputs.optionalName("standby", standby);
        if (name.equals(standby)) {
            throw new BadRequest("standby", "A server cannot be its own standby");
        }
        if (unresponsivePeriodSeconds != null) {
            Inputs.range("unresponsivePeriodSeconds", unresponsivePeriodSeconds, 1, MAX_PERIOD_SECONDS);
        }
    }

    int periodOrDefault() {
        return unresponsivePeriodSeconds == null ? DEFAULT_PERIOD_SECONDS : unresponsivePeriodSeconds;
    }
}
