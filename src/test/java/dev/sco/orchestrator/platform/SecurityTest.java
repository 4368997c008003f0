package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@OrchestratorTest
class SecurityTest {

    @LocalServerPort
    int port;

    @Test
    void engineRestAndApiRefuseRequestsWithoutCredentials() {
        Api anonymous = new Api(port).as(null);

        assertThat(anonymous.get("/engine-rest/process-definition").status()).isEqualTo(401);
        assertThat(anonymous.get("/api/servers").status()).isEqualTo(401);
        assertThat(anonymous.get("/actuator/metrics").status()).isEqualTo(401);
        assertThat(anonymous.get("/engine-rest/engine").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    @Test
    void wrongPasswordIsRefused() {
        Api intruder = new Api(port).as("midadmin:wrong");

        assertThat(intruder.get("/engine-rest/process-definition").status()).isEqualTo(401);
        assertThat(intruder.get("/api/servers").status()).isEqualTo(401);
    }

    @Test
    void demoOperatorCanListProcessDefinitions() {
        Api.Response response = new Api(port).as(Api.OPERATOR)
                .get("/engine-rest/process-definition?maxResults=100");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().findValuesAsText("key")).contains("continuityAuditProcess");
    }
}
