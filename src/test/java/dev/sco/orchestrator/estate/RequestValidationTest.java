package dev.sco.orchestrator.estate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

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
        assertRefused(() -> database("jdbc:postgresql://h/db?password=secret", null).validate("d"), "jdbcUrl");
        assertRefused(() -> database("jdbc:postgresql://h/db?ssl=true&PASSWORD=secret", null).validate("d"),
                "jdbcUrl");
        assertRefused(() -> database("jdbc:postgresql://h/db", "s3cr3t!").validate("d"), "passwordEnv");
        assertRefused(() -> database("jdbc:postgresql://h/db", "1PASSWORD").validate("d"), "passwordEnv");
        assertThatCode(() -> database("jdbc:postgresql://h:5432/db", "APP_DB_PASSWORD").validate("d"))
                .doesNotThrowAnyException();
    }

    @Test
    void databaseUrlMustBePostgresql() {
        assertRefused(() -> database("jdbc:postgresql://", null).validate("d"), "jdbcUrl");
        assertRefused(() -> database("jdbc:oracle:thin:@h:1521/db", null).validate("d"), "jdbcUrl");
        assertRefused(() -> database("jdbc:postgresql://h/db x", null).validate("d"), "jdbcUrl");
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

    private static AgentRequest agent(List<String> chain) {
        return new AgentRequest("inst", "user", AgentStatus.UP, AgentRegistration.AUTOMATIC, null, chain);
    }

    private static DatabaseEndpointRequest database(String url, String passwordEnv) {
        return new DatabaseEndpointRequest(url, "app", passwordEnv, DatabaseRole.PRIMARY, null);
    }

    private static void assertRefused(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiProblem.class, p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.status().value()).isEqualTo(400);
        });
    }
}
