package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.platform.target.TargetRules;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/** Body of {@code PUT /api/databases/{name}}. */
record DatabaseEndpointRequest(String jdbcUrl, String username, String passwordEnv, DatabaseRole role,
                               String pairedWith) {

    /** Checks that need no database: shape and consistency of the fields, and the target rules. */
    void validate(String name, TargetRules rules) {
        Inputs.text("jdbcUrl", jdbcUrl, 1024);
        try {
            rules.checkJdbcUrl(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("jdbcUrl", "'jdbcUrl' " + e.getMessage());
        }
        Inputs.text("username", username, 128);
        String passwordEnvProblem = rules.passwordEnvProblem(passwordEnv);
        if (passwordEnvProblem != null) {
            throw new BadRequest("passwordEnv", passwordEnvProblem);
        }
        Inputs.required("role", role);
        Inputs.optionalName("pairedWith", pairedWith);
        if (name.equals(pairedWith)) {
            throw new BadRequest("pairedWith", "A database cannot be paired with itself");
        }
    }
}
