package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The admin group must be able to do through the engine REST API what Camunda's admin can. */
@OrchestratorTest
class AdminGroupAuthorizationTest {

    private static final String ADMIN = "admin:admin-test-password-1";
    private static final String MODEL = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                              xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                              id="adminRightsDefinitions" targetNamespace="http://sco.dev/test">
              <bpmn:process id="adminRightsCheckProcess" isExecutable="true" camunda:historyTimeToLive="P1D">
                <bpmn:startEvent id="started"/>
                <bpmn:sequenceFlow id="toTask" sourceRef="started" targetRef="check"/>
                <bpmn:userTask id="check"/>
              </bpmn:process>
            </bpmn:definitions>
            """;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void adminDeploysAndStartsOverEngineRest() throws Exception {
        assertThat(deploy(ADMIN).statusCode()).isEqualTo(200);

        HttpResponse<String> started = post("/engine-rest/process-definition/key/adminRightsCheckProcess/start",
                ADMIN, "application/json", "{}");

        assertThat(started.statusCode()).isEqualTo(200);
        assertThat(started.body()).contains("\"ended\":false");
    }

    @Test
    void operatorMayNotDeploy() throws Exception {
        assertThat(deploy("operator:operator").statusCode()).isEqualTo(403);
    }

    private HttpResponse<String> deploy(String credentials) throws Exception {
        String boundary = "admin-rights-check";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nadmin-rights\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"admin-rights.bpmn\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + MODEL + "\r\n--" + boundary + "--\r\n";
        return post("/engine-rest/deployment/create", credentials, "multipart/form-data; boundary=" + boundary, body);
    }

    private HttpResponse<String> post(String path, String credentials, String contentType, String body)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", contentType)
                .header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
