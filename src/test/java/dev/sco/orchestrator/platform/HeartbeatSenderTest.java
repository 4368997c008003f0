package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A member of heartbeat-senders may send heartbeats and nothing else. */
@OrchestratorTest
class HeartbeatSenderTest {

    @LocalServerPort
    int port;
    @Autowired
    IdentityService identity;
    @Autowired
    AuthorizationService authorizations;

    private String sender;
    private Api api;

    @BeforeEach
    void createHeartbeatSender() {
        sender = Api.unique("hb");
        User user = identity.newUser(sender);
        user.setPassword("heartbeat-secret-1");
        identity.saveUser(user);
        identity.createMembership(sender, Groups.HEARTBEAT_SENDERS);
        api = new Api(port).as(sender + ":heartbeat-secret-1");
    }

    @AfterEach
    void deleteHeartbeatSender() {
        identity.deleteUser(sender);
    }

    @Test
    void sendsHeartbeatsOfServersBatchesAndHubs() {
        assertThat(api.post("/api/servers/ms-east-1/heartbeat").status()).isEqualTo(204);
        assertThat(api.post("/api/heartbeats", "[{\"server\":\"ms-east-2\"}]").status()).isEqualTo(200);
        assertThat(api.post("/api/hubs/hubs-demo/hub-a/heartbeat").status()).isEqualTo(204);
    }

    @Test
    void mayDoNothingElse() {
        Api.assertProblem(api.get("/api/servers"), 403, null);
        Api.assertProblem(api.put("/api/servers/" + Api.unique("x"), "{\"kind\":\"management\",\"site\":\"east\"}"),
                403, null);
        Api.assertProblem(api.get("/api/decisions"), 403, null);
        assertThat(api.get("/engine-rest/process-definition").status()).isEqualTo(403);
        assertThat(api.post("/engine-rest/process-definition/key/continuityAuditProcess/start", "{}").status())
                .isEqualTo(403);
        assertThat(api.get("/actuator/metrics").status()).isEqualTo(403);

        Api.Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().has("components")).isFalse();
    }

    @Test
    void holdsNoEngineAuthorization() {
        assertThat(identity.createGroupQuery().groupId(Groups.HEARTBEAT_SENDERS).count()).isEqualTo(1);
        assertThat(authorizations.createAuthorizationQuery().groupIdIn(Groups.HEARTBEAT_SENDERS).count()).isZero();
        Api.assertProblem(api.get("/engine-rest/task?maxResults=10"), 403, null);
    }
}
