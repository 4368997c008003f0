package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/** Body of {@code PUT /api/hubs/{pair}}. */
record HubPairRequest(String primary, String secondary) {

    void validate() {
        Inputs.name("primary", primary);
        Inputs.name("secondary", secondary);
        if (primary.equals(secondary)) {
            throw new BadRequest("secondary", "'secondary' must differ from 'primary'");
        }
    }
}
