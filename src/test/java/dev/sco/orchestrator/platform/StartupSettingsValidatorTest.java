package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.sco.orchestrator.OrchestratorApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

class StartupSettingsValidatorTest {

    private static final OrchestratorProperties.Targets TARGETS =
            new OrchestratorProperties.Targets(4, Duration.ofSeconds(5), Duration.ofSeconds(60),
                    "ORCHESTRATOR_TARGET_", "");
    private static final OrchestratorProperties.Embedded EMBEDDED = new OrchestratorProperties.Embedded(Path.of("data"), 0);
    private static final OrchestratorProperties.Db EMBEDDED_DB = new OrchestratorProperties.Db("", "", "", 20);
    private static final OrchestratorProperties.Admin NO_ADMIN = new OrchestratorProperties.Admin("", "");
    private static final OrchestratorProperties.Admin ADMIN = new OrchestratorProperties.Admin("ops-admin", "a-long-secret-1");

    @Test
    void demoEstateOnTheEmbeddedDatabaseNeedsNoAdministrator() {
        assertThatCode(() -> validate(EMBEDDED_DB, "", NO_ADMIN)).doesNotThrowAnyException();
    }

    @Test
    void outsideTheDemoAnAdministratorIsRequired() {
        assertRejected(EMBEDDED_DB, "false", NO_ADMIN, "ORCHESTRATOR_ADMIN_USER");
        assertRejected(external("jdbc:postgresql://db:5432/orch", "orch", "pw"), "", NO_ADMIN, "ORCHESTRATOR_ADMIN_USER");
        assertRejected(EMBEDDED_DB, "false", new OrchestratorProperties.Admin("ops-admin", "short"),
                "ORCHESTRATOR_ADMIN_PASSWORD");
        assertRejected(EMBEDDED_DB, "false", new OrchestratorProperties.Admin("ops'admin", "a-long-secret-1"),
                "ORCHESTRATOR_ADMIN_USER");
    }

    @Test
    void externalDatabaseNeedsUrlUserAndPassword() {
        assertRejected(external("mysql://db/orch", "orch", "pw"), "", ADMIN, "ORCHESTRATOR_DB_URL");
        assertRejected(external("jdbc:postgresql://db:5432/orch", "", "pw"), "", ADMIN, "ORCHESTRATOR_DB_USER");
        assertRejected(external("jdbc:postgresql://db:5432/orch", "orch", ""), "", ADMIN, "ORCHESTRATOR_DB_PASSWORD");
        assertThatCode(() -> validate(external("jdbc:postgresql://db:5432/orch", "orch", "pw"), "", ADMIN))
                .doesNotThrowAnyException();
    }

    @Test
    void contradictorySettingsAreRejected() {
        assertRejected(new OrchestratorProperties.Db("", "orch", "", 20), "", NO_ADMIN, "ORCHESTRATOR_DB_USER");
        assertRejected(new OrchestratorProperties.Db("", "", "pw", 20), "", NO_ADMIN, "ORCHESTRATOR_DB_PASSWORD");
        assertRejected(external("jdbc:postgresql://db:5432/orch", "orch", "pw"), "true", ADMIN, "ORCHESTRATOR_DEMO");
        assertRejected(EMBEDDED_DB, "yes", NO_ADMIN, "ORCHESTRATOR_DEMO");
    }

    @Test
    void aPasswordPrefixThatWouldAllowTheOrchestratorsOwnSettingsIsRefused() {
        for (String prefix : List.of("ORCHESTRATOR_", "ORCHESTRATOR_FAILOVER_", "ORCHESTRATOR_DB_",
                "ORCHESTRATOR_ADMIN_", "O_", "", "lower_", "NO_UNDERSCORE_AT_END")) {
            assertThatThrownBy(() -> StartupSettingsValidator.validate(new OrchestratorProperties(EMBEDDED_DB, EMBEDDED,
                    "", NO_ADMIN, new OrchestratorProperties.Targets(4, Duration.ofSeconds(5), Duration.ofSeconds(60),
                            prefix, ""))))
                    .as(prefix).isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("ORCHESTRATOR_TARGET_PASSWORD_ENV_PREFIX");
        }
        assertThatThrownBy(() -> StartupSettingsValidator.validate(new OrchestratorProperties(EMBEDDED_DB, EMBEDDED, "",
                NO_ADMIN, new OrchestratorProperties.Targets(4, Duration.ofSeconds(5), Duration.ofSeconds(60),
                        "ORCHESTRATOR_TARGET_", "db1, bad host"))))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("ORCHESTRATOR_TARGET_ALLOWED_HOSTS");
        assertThatCode(() -> StartupSettingsValidator.validate(new OrchestratorProperties(EMBEDDED_DB, EMBEDDED, "",
                NO_ADMIN, new OrchestratorProperties.Targets(4, Duration.ofSeconds(5), Duration.ofSeconds(60),
                        "DR_TARGET_SECRET_", "db1.example.com,10.0.0.7"))))
                .doesNotThrowAnyException();
    }

    @Test
    void startUpStopsWithTheNameOfTheMissingSetting() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(OrchestratorApplication.class).run(
                "--orchestrator.db.url=jdbc:postgresql://127.0.0.1:1/none",
                "--orchestrator.admin.user=admin", "--orchestrator.admin.password=admin-test-password-1",
                "--server.port=0", "--logging.level.root=off"))
                .hasRootCauseInstanceOf(InvalidSettingException.class)
                .rootCause().hasMessageContaining("ORCHESTRATOR_DB_USER");
    }

    private static OrchestratorProperties.Db external(String url, String user, String password) {
        return new OrchestratorProperties.Db(url, user, password, 20);
    }

    private static void validate(OrchestratorProperties.Db db, String demo, OrchestratorProperties.Admin admin) {
        StartupSettingsValidator.validate(new OrchestratorProperties(db, EMBEDDED, demo, admin, TARGETS));
    }

    private static void assertRejected(OrchestratorProperties.Db db, String demo, OrchestratorProperties.Admin admin,
                                       String setting) {
        assertThatThrownBy(() -> validate(db, demo, admin))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith(setting);
    }
}
