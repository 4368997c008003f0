package dev.sco.orchestrator.estate;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.sco.orchestrator.platform.target.TargetRules;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/**
 * Body of {@code PUT /api/databases/{name}}. {@code consumerRoles} (optional): the database roles
 * the consumers of this database log in as; a fence revokes CONNECT from them.
 */
record DatabaseEndpointRequest(String jdbcUrl, String username, String passwordEnv, DatabaseRole role,
                               String pairedWith, List<String> consumerRoles) {

    /** A PostgreSQL role name as the fence scripts quote it: no quoting tricks, no over-long names. */
    static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_]{1,63}");
    static final int MAX_CONSUMER_ROLES = 100;

    DatabaseEndpointRequest {
        consumerRoles = consumerRoles == null ? List.of() : consumerRoles;
    }

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
        if (consumerRoles.size() > MAX_CONSUMER_ROLES) {
            throw new BadRequest("consumerRoles", "'consumerRoles' lists at most " + MAX_CONSUMER_ROLES + " roles");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < consumerRoles.size(); i++) {
            String role = consumerRoles.get(i);
            if (role == null || !ROLE.matcher(role).matches()) {
                throw new BadRequest("consumerRoles[" + i + "]",
                        "'consumerRoles' entries must be role names of 1-63 letters, digits or '_'");
            }
            if (!seen.add(role)) {
                throw new BadRequest("consumerRoles[" + i + "]", "'consumerRoles' names " + role + " twice");
            }
        }
        Inputs.optionalName("pairedWith", pairedWith);
        if (name.equals(pairedWith)) {
            throw new BadRequest("pairedWith", "A database cannot be paired with itself");
        }
    }
}
