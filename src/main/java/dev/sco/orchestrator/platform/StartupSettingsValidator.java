package dev.sco.orchestrator.platform;

import java.time.Duration;

import java.util.Set;

import dev.sco.orchestrator.platform.target.TargetRules;

/**
 * Checks the settings that decide how the orchestrator runs before anything connects anywhere.
 * Missing or contradictory settings stop start-up with the name of the variable to fix.
 */
final class StartupSettingsValidator {

    private static final Set<String> BOOLEAN_WORDS = Set.of("", "true", "false");

    private StartupSettingsValidator() {
    }

    static void validate(OrchestratorProperties settings) {
        OrchestratorProperties.Db db = settings.db();
        String demo = settings.demo() == null ? "" : settings.demo().trim().toLowerCase();
        if (!BOOLEAN_WORDS.contains(demo)) {
            throw new InvalidSettingException("ORCHESTRATOR_DEMO", "must be true or false, was '" + settings.demo() + "'");
        }
        if (db.external()) {
            if (!db.url().startsWith("jdbc:postgresql://")) {
                throw new InvalidSettingException("ORCHESTRATOR_DB_URL", "must be a jdbc:postgresql:// URL");
            }
            if (db.username().isBlank()) {
                throw new InvalidSettingException("ORCHESTRATOR_DB_USER", "must be set when ORCHESTRATOR_DB_URL is set");
            }
            if (db.password().isBlank()) {
                throw new InvalidSettingException("ORCHESTRATOR_DB_PASSWORD", "must be set when ORCHESTRATOR_DB_URL is set");
            }
            if ("true".equals(demo)) {
                throw new InvalidSettingException("ORCHESTRATOR_DEMO",
                        "the demo estate runs on the embedded databases only; unset ORCHESTRATOR_DB_URL or ORCHESTRATOR_DEMO");
            }
        } else {
            if (!db.username().isBlank()) {
                throw new InvalidSettingException("ORCHESTRATOR_DB_USER", "is set but ORCHESTRATOR_DB_URL is not");
            }
            if (!db.password().isBlank()) {
                throw new InvalidSettingException("ORCHESTRATOR_DB_PASSWORD", "is set but ORCHESTRATOR_DB_URL is not");
            }
        }
        if (db.poolSize() < 2 || db.poolSize() > 200) {
            throw new InvalidSettingException("ORCHESTRATOR_DB_POOL_SIZE", "must be between 2 and 200");
        }
        // Below a minute it would cut legitimate statements (history cleanup batches, migrations);
        // zero would mean no timeout at all, which is what the setting exists to prevent.
        if (db.socketTimeout() == null || db.socketTimeout().compareTo(Duration.ofMinutes(1)) < 0
                || db.socketTimeout().compareTo(Duration.ofHours(24)) > 0) {
            throw new InvalidSettingException("ORCHESTRATOR_DB_SOCKET_TIMEOUT", "must be between 1m and 24h, was "
                    + db.socketTimeout());
        }
        OrchestratorProperties.Targets targets = settings.targets();
        if (targets.poolSize() < 1 || targets.poolSize() > 50) {
            throw new InvalidSettingException("ORCHESTRATOR_TARGET_POOL_SIZE", "must be between 1 and 50");
        }
        if (targets.connectTimeout().isNegative() || targets.connectTimeout().toMillis() < 250) {
            throw new InvalidSettingException("ORCHESTRATOR_TARGET_CONNECT_TIMEOUT", "must be at least 250ms");
        }
        if (targets.statementTimeout().isNegative() || targets.statementTimeout().toMillis() < 1000) {
            throw new InvalidSettingException("ORCHESTRATOR_TARGET_STATEMENT_TIMEOUT", "must be at least 1s");
        }
        // Before anything connects: a prefix that covers the orchestrator's own secrets must never be in force.
        TargetRules.validate(targets);
        OrchestratorProperties.Admin admin = settings.admin();
        boolean adminGiven = !admin.user().isBlank() || !admin.password().isBlank();
        if (!settings.demoEnabled() || adminGiven) {
            if (admin.user().isBlank()) {
                throw new InvalidSettingException("ORCHESTRATOR_ADMIN_USER",
                        "must be set outside the demo estate (there is no default administrator)");
            }
            if (!admin.user().matches("[A-Za-z0-9._-]{1,64}")) {
                throw new InvalidSettingException("ORCHESTRATOR_ADMIN_USER", "must be 1-64 letters, digits, '.', '_' or '-'");
            }
            if (admin.password().length() < 12) {
                throw new InvalidSettingException("ORCHESTRATOR_ADMIN_PASSWORD",
                        "must be set outside the demo estate, at least 12 characters");
            }
            if (admin.password().equalsIgnoreCase(admin.user())) {
                throw new InvalidSettingException("ORCHESTRATOR_ADMIN_PASSWORD", "must differ from the user name");
            }
        }
    }
}
