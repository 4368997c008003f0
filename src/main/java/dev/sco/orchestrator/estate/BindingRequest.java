package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.platform.web.Inputs;

/** Body of {@code PUT /api/bindings/{consumer}}. */
record BindingRequest(String database) {

    void validate() {
        Inputs.name("database", database);
    }
}
