package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Query size limits of the engine, and writes a web page in another origin could send. */
@OrchestratorTest
class RequestLimitsTest {

    @LocalServerPort
    int port;

    @Test
    void engineQueriesAreCappedAtWhatTheWebappsNeed() {
        Api demo = new Api(port);

        Api.Response huge = demo.get("/engine-rest/task?maxResults=2147483647");
        assertThat(huge.status()).as("%s", huge).isEqualTo(400);
        assertThat(demo.get("/engine-rest/task?maxResults=2001").status()).isEqualTo(400);
        assertThat(demo.get("/engine-rest/task?firstResult=0&maxResults=15").status()).isEqualTo(200);
        assertThat(demo.get("/engine-rest/task?maxResults=2000").status()).isEqualTo(200);
        assertThat(demo.get("/engine-rest/history/process-instance?firstResult=0&maxResults=50").status()).isEqualTo(200);
        assertThat(demo.get("/engine-rest/process-definition?maxResults=2000").status()).isEqualTo(200);
    }

    @Test
    void writesFromAnotherOriginAreRefused() {
        Api demo = new Api(port);

        Api.Response foreign = demo.send(demo.request("/api/servers/ms-east-1/heartbeat")
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.noBody()));
        Api.assertProblem(foreign, 403, "Origin");
        Api.assertProblem(demo.send(demo.request("/engine-rest/process-definition/key/continuityAuditProcess/start")
                .header("Origin", "null").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))), 403, "Origin");

        assertThat(demo.send(demo.request("/api/servers/ms-east-1/heartbeat")
                .header("Origin", "http://localhost:" + port).POST(HttpRequest.BodyPublishers.noBody())).status())
                .isEqualTo(204);
        // Reads are not writes.
        assertThat(demo.send(demo.request("/api/servers").header("Origin", "http://evil.example").GET()).status())
                .isEqualTo(200);
    }

    @Test
    void writeBodiesMustBeJson() {
        Api demo = new Api(port);
        String server = Api.unique("srv");

        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            Api.assertProblem(demo.send(demo.request("/api/servers/" + server).header("Content-Type", type)
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"kind\":\"management\",\"site\":\"east\"}"))),
                    415, "Content-Type");
        }
        Api.assertProblem(demo.send(demo.request("/engine-rest/process-definition/key/continuityAuditProcess/start")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}"))),
                415, "Content-Type");
        Api.assertProblem(demo.send(demo.request("/api/heartbeats")
                .POST(HttpRequest.BodyPublishers.ofString("[]"))), 415, "Content-Type");

        assertThat(demo.put("/api/servers/" + server, "{\"kind\":\"management\",\"site\":\"east\"}").status())
                .isIn(200, 201);
        assertThat(demo.send(demo.request("/api/servers/" + server + "/heartbeat")
                .header("Content-Type", "application/problem+json").POST(HttpRequest.BodyPublishers.noBody())).status())
                .isEqualTo(204);
        assertThat(demo.send(demo.request("/api/servers/" + server).DELETE()).status()).isLessThan(500).isNotEqualTo(415);
    }

    @Test
    void multipartDeploymentIsForAdministratorsOnly() {
        String boundary = "rails-edge-boundary";
        String bpmn = """
                <?xml version="1.0" encoding="UTF-8"?>
                <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                             targetNamespace="http://sco.dev/test">
                  <process id="railsEdgeMultipart" isExecutable="true" camunda:historyTimeToLive="1">
                    <startEvent id="StartEvent_1"/>
                  </process>
                </definitions>
                """;
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"deployment-name\"\r\n\r\nrails-edge\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"rails-edge.bpmn\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + bpmn + "\r\n--" + boundary + "--\r\n";
        Api demo = new Api(port);

        Api.Response refused = demo.as(Api.DBA).send(multipart(demo.as(Api.DBA), boundary, body));
        Api.assertProblem(refused, 403, null);
        Api.Response deployed = demo.send(multipart(demo, boundary, body));
        assertThat(deployed.status()).as("%s", deployed).isEqualTo(200);
        demo.send(demo.request("/engine-rest/deployment/" + deployed.text("id") + "?cascade=true").DELETE());
    }

    private static HttpRequest.Builder multipart(Api api, String boundary, String body) {
        return api.request("/engine-rest/deployment/create")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
}
