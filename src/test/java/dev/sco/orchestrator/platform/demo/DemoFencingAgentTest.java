package dev.sco.orchestrator.platform.demo;

import static dev.sco.orchestrator.Api.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.EmbeddedPostgresServers;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

/**
 * The demo estate's fencing agent: registered for the demo primary, callable by its own machine
 * user (whose password exists only in memory) or an administrator, and it really stops the demo
 * primary's server and starts it again. Outside the demo estate it does not exist
 * ({@code DemoUsersRemovalTest}).
 */
@OrchestratorTest
class DemoFencingAgentTest {

    @LocalServerPort
    int port;
    @Autowired
    Environment environment;
    @Autowired
    TargetDatabases targets;
    @Autowired
    EmbeddedPostgresServers servers;

    @Test
    void theDemoPrimaryIsRegisteredWithTheAgentAndOnlyItsUserOrAnAdministratorMayCallIt() {
        Api.Response methods = new Api(port).get("/api/databases/" + EmbeddedPostgresServers.DEMO_PRIMARY + "/fencing");
        assertThat(methods.body().get("methods").findValuesAsText("kind")).containsExactly("sql", "agent");
        assertThat(methods.body().get("methods").get(1).get("url").asText())
                .isEqualTo("http://localhost:" + port + DemoFencingAgent.PATH);
        assertThat(methods.body().get("methods").get(1).get("username").asText()).isEqualTo(DemoFencingAgent.USER);
        assertThat(methods.body().toString()).doesNotContain(agentPassword());

        String fence = "{\"operationId\": 1, \"operation\": \"fence\", \"database\": \"demo-primary\"}";
        assertThat(new Api(port).as(null).post(DemoFencingAgent.PATH, fence).status()).isEqualTo(401);
        assertThat(new Api(port).as(DemoFencingAgent.USER + ":wrong").post(DemoFencingAgent.PATH, fence).status())
                .isEqualTo(401);
        assertThat(new Api(port).as(Api.DBA).post(DemoFencingAgent.PATH, fence).status()).isEqualTo(403);
        assertThat(new Api(port).as(Api.OPERATOR).post(DemoFencingAgent.PATH, fence).status()).isEqualTo(403);
        assertProblem(agent().post(DemoFencingAgent.PATH, fence.replace("demo-primary", "demo-failover")), 400,
                "database");
        assertProblem(agent().post(DemoFencingAgent.PATH, fence.replace("\"fence\"", "\"reboot\"")), 400, "operation");
        assertThat(servers.running(EmbeddedPostgresServers.DEMO_PRIMARY)).isTrue();
    }

    @Test
    void theAgentStopsTheDemoPrimarysServerAndStartsItAgain() {
        try {
            Api.Response fenced = agent().post(DemoFencingAgent.PATH,
                    "{\"operationId\": 7, \"operation\": \"fence\", \"database\": \"demo-primary\"}");
            assertThat(fenced.status()).as(fenced.toString()).isEqualTo(200);
            assertThat(fenced.body().get("fenced").asBoolean()).isTrue();
            assertThat(fenced.body().get("method").asText()).isEqualTo(DemoFencingAgent.FENCE_METHOD);
            assertThat(fenced.body().get("evidence").asText()).contains("stopped", "refuses connections");
            assertThat(targets.probe(EmbeddedPostgresServers.DEMO_PRIMARY, Duration.ofSeconds(2)).reachable()).isFalse();

            Api.Response unfenced = new Api(port).as(Api.DEMO).post(DemoFencingAgent.PATH,
                    "{\"operationId\": 8, \"operation\": \"unfence\", \"database\": \"demo-primary\"}");
            assertThat(unfenced.status()).as(unfenced.toString()).isEqualTo(200);
            assertThat(unfenced.body().get("unfenced").asBoolean()).isTrue();
            assertThat(targets.probe(EmbeddedPostgresServers.DEMO_PRIMARY, Duration.ofSeconds(5)).reachable()).isTrue();
        } finally {
            servers.restart(EmbeddedPostgresServers.DEMO_PRIMARY);
        }
    }

    private Api agent() {
        return new Api(port).as(DemoFencingAgent.USER + ":" + agentPassword());
    }

    private String agentPassword() {
        String password = environment.getProperty("ORCHESTRATOR_TARGET_" + DemoFencingAgent.PASSWORD_VARIABLE);
        assertThat(password).isNotBlank();
        return password;
    }
}
