package dev.sco.orchestrator.estate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.sco.orchestrator.platform.OrchestratorProperties;
import dev.sco.orchestrator.platform.target.TargetRules;
import dev.sco.orchestrator.platform.web.ApiProblem;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The checks each request body makes before any database access. */
class RequestValidationTest {

    @Test
    void agentChainNamesEachServerOnce() {
        assertRefused(() -> agent(List.of("a", "b", "a")).validate(), "chain[2]");
        assertRefused(() -> agent(Arrays.asList("a", null)).validate(), "chain[1]");
        assertRefused(() -> agent(List.of("a", "b c")).validate(), "chain[1]");
        assertThatCode(() -> agent(List.of("a", "b")).validate()).doesNotThrowAnyException();
        assertThatCode(() -> agent(null).validate()).doesNotThrowAnyException();
    }

    @Test
    void agentUserIsRequiredPrintableText() {
        assertRefused(() -> new AgentRequest("i", " ", AgentStatus.UP, AgentRegistration.MANUAL, null, null)
                .validate(), "user");
        assertRefused(() -> new AgentRequest("i", "u\n", AgentStatus.UP, AgentRegistration.MANUAL, null, null)
                .validate(), "user");
        assertRefused(() -> new AgentRequest("i", "u".repeat(129), AgentStatus.UP, AgentRegistration.MANUAL, null,
                null).validate(), "user");
    }

    @Test
    void serverPeriodIsOneSecondToOneDayAndDefaultsToThreeMinutes() {
        assertRefused(() -> new ServerRequest(ServerKind.GATEWAY, null, null, 0).validate("s"),
                "unresponsivePeriodSeconds");
        assertRefused(() -> new ServerRequest(ServerKind.GATEWAY, null, null, 86_401).validate("s"),
                "unresponsivePeriodSeconds");
        assertThat(new ServerRequest(ServerKind.GATEWAY, null, null, null).periodOrDefault()).isEqualTo(180);
        assertRefused(() -> new ServerRequest(ServerKind.GATEWAY, null, "s", 60).validate("s"), "standby");
    }

    @Test
    void databaseEndpointNeverHoldsAPassword() {
        assertRefused(() -> database("jdbc:postgresql://h/db?password=secret", null).validate("d", RULES), "jdbcUrl");
        assertRefused(() -> database("jdbc:postgresql://h/db?ssl=true&PASSWORD=secret", null).validate("d", RULES),
                "jdbcUrl");
        assertRefused(() -> database("jdbc:postgresql://h/db", "s3cr3t!").validate("d", RULES), "passwordEnv");
        assertRefused(() -> database("jdbc:postgresql://h/db", "1PASSWORD").validate("d", RULES), "passwordEnv");
        assertThatCode(() -> database("jdbc:postgresql://h:5432/db", "ORCHESTRATOR_TARGET_APP_DB_PASSWORD").validate("d", RULES))
                .doesNotThrowAnyException();
    }

    @Test
    void passwordEnvStartsWithThePrefixAndNeverNamesAnOrchestratorSetting() {
        for (String own : List.of("ORCHESTRATOR_DB_PASSWORD", "ORCHESTRATOR_ADMIN_PASSWORD", "ORCHESTRATOR_DB_USER",
                "ORCHESTRATOR_TARGET_POOL_SIZE", "ORCHESTRATOR_TARGET_pool_size", "ORCHESTRATOR_TARGET_ALLOWED_HOSTS",
                "ORCHESTRATOR_TARGET_PASSWORD_ENV_PREFIX", "ORCHESTRATOR_TARGET_", "PRIMARY_DB_PASSWORD",
                "AWS_SECRET_ACCESS_KEY", "orchestrator_target_x", "SPRING_DATASOURCE_PASSWORD")) {
            assertRefused(() -> database("jdbc:postgresql://h/db", own).validate("d", RULES), "passwordEnv");
        }
        assertThatCode(() -> database("jdbc:postgresql://h/db", "ORCHESTRATOR_TARGET_PRIMARY_PASSWORD")
                .validate("d", RULES)).doesNotThrowAnyException();
    }

    @Test
    void databaseUrlIsParsedNotPrefixChecked() {
        for (String good : List.of("jdbc:postgresql://db1/app", "jdbc:postgresql://db-1.example.com:6432/app_2",
                "jdbc:postgresql://10.0.0.7:5432/app", "jdbc:postgresql://[::1]:5433/app",
                "jdbc:postgresql://db1/app?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem",
                "jdbc:postgresql://db1/app?sslcert=/c.pem&sslkey=/k.pk8&sslmode=require")) {
            assertThatCode(() -> database(good, null).validate("d", RULES)).as(good).doesNotThrowAnyException();
        }
        for (String bad : List.of("jdbc:postgresql://db1/app?socketTimeout=0",
                "jdbc:postgresql://db1/app?sslfactory=org.postgresql.ssl.NonValidatingFactory",
                "jdbc:postgresql://db1/app?options=-c%20statement_timeout%3D0", "jdbc:postgresql://db1/app?connectTimeout=0",
                "jdbc:postgresql://db1/app?loginTimeout=0", "jdbc:postgresql://db1/app?user=postgres",
                "jdbc:postgresql://db1/app?sslpassword=x", "jdbc:postgresql://db1/app?socketFactory=x.Y",
                "jdbc:postgresql://db1/app?loggerFile=/tmp/x", "jdbc:postgresql://db1/app?sslmode=require&sslmode=disable",
                "jdbc:postgresql://db1/app?sslmode=sometimes", "jdbc:postgresql://db1/app?sslmode",
                "jdbc:postgresql://db1:5432,db2:5432/app", "jdbc:postgresql://db1,db2/app", "jdbc:postgresql://db1:0/app",
                "jdbc:postgresql://db1:65536/app", "jdbc:postgresql://db1:54x/app", "jdbc:postgresql://db1",
                "jdbc:postgresql://db1/", "jdbc:postgresql://db1/app/x", "jdbc:postgresql://db1/a%20b",
                "jdbc:postgresql://999.1.1.1/app", "jdbc:postgresql://127.1/app", "jdbc:postgresql://-db/app",
                "jdbc:postgresql://[zz::1]/app", "jdbc:postgresql://user@db1/app", "jdbc:postgresql://db1/app#x",
                "jdbc:postgresql:app", "jdbc:postgresql:///app")) {
            assertRefused(() -> database(bad, null).validate("d", RULES), "jdbcUrl");
        }
    }

    @Test
    void databaseHostMustBeInTheAllowListWhenThereIsOne() {
        TargetRules rules = new TargetRules(new OrchestratorProperties.Targets(4, Duration.ofSeconds(5),
                Duration.ofSeconds(60), "ORCHESTRATOR_TARGET_", " db1.example.com, 10.0.0.7,::1 "));
        assertThatCode(() -> database("jdbc:postgresql://DB1.example.com/app", null).validate("d", rules))
                .doesNotThrowAnyException();
        assertThatCode(() -> database("jdbc:postgresql://10.0.0.7:6432/app", null).validate("d", rules))
                .doesNotThrowAnyException();
        assertThatCode(() -> database("jdbc:postgresql://[0:0:0:0:0:0:0:1]/app", null).validate("d", rules))
                .doesNotThrowAnyException();
        assertRefused(() -> database("jdbc:postgresql://db2.example.com/app", null).validate("d", rules), "jdbcUrl");
        assertRefused(() -> database("jdbc:postgresql://10.0.0.8/app", null).validate("d", rules), "jdbcUrl");
    }

    @Test
    void databaseUrlMustBePostgresql() {
        assertRefused(() -> database("jdbc:postgresql://", null).validate("d", RULES), "jdbcUrl");
        assertRefused(() -> database("jdbc:oracle:thin:@h:1521/db", null).validate("d", RULES), "jdbcUrl");
        assertRefused(() -> database("jdbc:postgresql://h/db x", null).validate("d", RULES), "jdbcUrl");
    }

    @Test
    void hubPairNeedsTwoDifferentHubs() {
        assertRefused(() -> new HubPairRequest("a", "a", null).validate(), "secondary");
        assertRefused(() -> new HubPairRequest(null, "a", null).validate(), "primary");
    }

    @Test
    void hubHeartbeatTimeoutIsOneSecondToAnHour() {
        assertRefused(() -> new HubPairRequest("a", "b", 0).validate(), "heartbeatTimeoutSeconds");
        assertRefused(() -> new HubPairRequest("a", "b", 3601).validate(), "heartbeatTimeoutSeconds");
        new HubPairRequest("a", "b", 1).validate();
        new HubPairRequest("a", "b", 3600).validate();
    }

    private static final TargetRules RULES = new TargetRules(new OrchestratorProperties.Targets(4,
            Duration.ofSeconds(5), Duration.ofSeconds(60), "ORCHESTRATOR_TARGET_", ""));

    private static AgentRequest agent(List<String> chain) {
        return new AgentRequest("inst", "user", AgentStatus.UP, AgentRegistration.AUTOMATIC, null, chain);
    }

    private static DatabaseEndpointRequest database(String url, String passwordEnv) {
        return new DatabaseEndpointRequest(url, "app", passwordEnv, DatabaseRole.PRIMARY, null, null);
    }

    private static void assertRefused(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiProblem.class, p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.status().value()).isEqualTo(400);
        });
    }
}
