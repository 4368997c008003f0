package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.Api;
import static dev.sco.orchestrator.Api.assertProblem;
import static dev.sco.orchestrator.Api.json;
import static dev.sco.orchestrator.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Map;

import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Bad input of every kind is a 4xx problem naming the field, and writes nothing. */
@OrchestratorTest
class EstateValidationTest {

    @LocalServerPort
    int port;

    Api api;
    String name;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        name = unique("val");
    }

    @Test
    void malformedJsonIsABadBody() {
        assertProblem(api.put("/api/servers/" + name, "{\"kind\": \"gateway\""), 400, "body");
        assertProblem(api.put("/api/servers/" + name, "{\"kind\": gateway}"), 400, "body");
        assertProblem(api.put("/api/servers/" + name, "{\"kind\":\"gateway\"} {}"), 400, "body");
        assertProblem(api.put("/api/servers/" + name, ""), 400, "body");
        assertNotWritten();
    }

    @Test
    void unknownFieldIsNamed() {
        assertProblem(api.put("/api/servers/" + name, "{\"kind\":\"gateway\",\"colour\":\"red\"}"), 400, "colour");
        assertProblem(api.put("/api/agents/" + name, "{\"instance\":\"i\",\"chain\":[],\"nested\":{\"a\":1}}"),
                400, "nested");
        assertNotWritten();
    }

    @Test
    void valueOfTheWrongTypeIsNamed() {
        assertProblem(api.put("/api/servers/" + name, "{\"kind\":\"gateway\",\"unresponsivePeriodSeconds\":\"60\"}"),
                400, "unresponsivePeriodSeconds");
        assertProblem(api.put("/api/servers/" + name, "{\"kind\":\"gateway\",\"unresponsivePeriodSeconds\":1.5}"),
                400, "unresponsivePeriodSeconds");
        assertProblem(api.put("/api/servers/" + name, "{\"kind\":\"gateway\",\"unresponsivePeriodSeconds\":1e12}"),
                400, "unresponsivePeriodSeconds");
        assertProblem(api.put("/api/servers/" + name, "{\"kind\":\"gateway\",\"site\":5}"), 400, "site");
        assertProblem(api.put("/api/servers/" + name, "{\"kind\":[\"gateway\"]}"), 400, "kind");
        assertProblem(api.put("/api/servers/" + name, "{\"kind\":0}"), 400, "kind");
        assertProblem(api.put("/api/agents/" + name, "{\"instance\":\"i\",\"chain\":\"a,b\"}"), 400, "chain");
        assertProblem(api.put("/api/agents/" + name, "{\"instance\":\"i\",\"chain\":[\"a\",7]}"), 400, "chain[1]");
        assertProblem(api.put("/api/servers/" + name, "[]"), 400, "body");
        assertNotWritten();
    }

    @Test
    void duplicateKeysAreRefused() {
        assertProblem(api.put("/api/servers/" + name, "{\"kind\":\"gateway\",\"kind\":\"collector\"}"), 400, "kind");
        assertProblem(api.post("/api/heartbeats", "[{\"server\":\"a\"},{\"server\":\"a\",\"server\":\"b\"}]"), 400,
                "[1].server");
        assertNotWritten();
    }

    @Test
    void pathNamesFollowTheNameRule() {
        String body = json(Map.of("kind", "gateway"));
        assertProblem(api.put("/api/servers/bad%20name", body), 400, "name");
        assertProblem(api.put("/api/servers/" + "x".repeat(129), body), 400, "name");
        assertProblem(api.put("/api/servers/drop'table", body), 400, "name");
        assertProblem(api.put("/api/servers/%C3%A9t%C3%A9", body), 400, "name");
        assertProblem(api.get("/api/servers/a%3Bb"), 400, "name");
        assertProblem(api.post("/api/hubs/pair%25/hub/heartbeat"), 400, "pair");
        assertProblem(api.get("/api/agents?instance=a%20b"), 400, "instance");
        assertThat(api.put("/api/servers/" + "x".repeat(128), body).status()).isIn(200, 201);
    }

    @Test
    void semicolonInThePathIsRefusedRatherThanCut() {
        assertProblem(api.put("/api/servers/" + name + ";DROP", json(Map.of("kind", "gateway"))), 400, "path");
        assertNotWritten();
    }

    @Test
    void oversizedBodyIsRefused() {
        String padding = "x".repeat(5 * 1024 * 1024);
        String body = "{\"kind\":\"gateway\",\"site\":\"" + padding + "\"}";
        assertProblem(api.put("/api/servers/" + name, body), 413, "body");
        assertNotWritten();
    }

    @Test
    void oversizedChunkedBodyIsRefusedWhileReading() {
        byte[] body = ("{\"kind\":\"gateway\",\"site\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}").getBytes();
        Api.Response response = api.send(api.request("/api/servers/" + name)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))));
        assertProblem(response, 413, "body");
        assertNotWritten();
    }

    @Test
    void unsupportedMediaTypeAndMethodAreProblems() {
        Api.Response xml = api.send(api.request("/api/servers/" + name).header("Content-Type", "application/xml")
                .PUT(HttpRequest.BodyPublishers.ofString("<server/>")));
        assertThat(xml.status()).isEqualTo(415);
        assertThat(xml.contentType()).startsWith("application/problem+json");
        Api.Response delete = api.send(api.request("/api/servers/" + name).DELETE());
        assertThat(delete.status()).isEqualTo(405);
        assertNotWritten();
    }

    private void assertNotWritten() {
        assertThat(api.get("/api/servers/" + name).status()).isEqualTo(404);
        assertThat(api.get("/api/agents/" + name).status()).isEqualTo(404);
    }
}
