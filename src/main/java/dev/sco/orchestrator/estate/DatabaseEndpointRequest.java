package dev.sco.orchestrator.estate;

import java.util.regex.Pattern;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/** Body of {@code PUT /api/databases/{name}}. */
record DatabaseEndpointRequest(String jdbcUrl, String username, String passwordEnv, DatabaseRole role,
                               String pairedWith) {

    static final String URL_PREFIX = "jdbc:postgresql://";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)[?&;]password=");

    /** Checks that need no database: shape and consistency of the fields. */
    void validate(String name) {
        Inputs.text("jdbcUrl", jdbcUrl, 1024);
        if (!jdbcUrl.startsWith(URL_PREFIX) || jdbcUrl.length() == URL_PREFIX.length()
                || jdbcUrl.chars().anyMatch(Character::isWhitespace)) {
            throw new BadRequest("jdbcUrl", "'jdbcUrl' must be a PostgreSQL JDBC URL (" + URL_PREFIX + "host:port/db)");
        }
        if (PASSWORD_PARAMETER.matcher(jdbcUrl).find()) {
            throw new BadRequest("jdbcUrl",
                    "'jdbcUrl' must not carry a password: name the environment variable that holds it in 'passwordEnv'");
        }
        Inputs.text("username", username, 128);
        if (passwordEnv != null && !ENV_NAME.matcher(passwordEnv).matches()) {
            throw new BadRequest("passwordEnv",
                    "'passwordEnv' must be the name of an environment variable (letters, digits, '_'), not a password");
        }
        Inputs.required("role", role);
        Inputs.optionalName("pairedWith", pairedWith);
        if (name.equals(pairedWith)) {
            throw new BadRequest("pairedWith", "A database cannot be paired with itself");
        }
    }
}
