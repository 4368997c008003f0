package dev.sco.orchestrator.postclone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The whole S1 flow through the REST API on embedded PostgreSQL, and its refusals. */
@OrchestratorTest
class PostCloneApiTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ManagementService management;
    @Autowired
    MutableClock clock;
    @Autowired
    ObjectMapper json;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String instance = "rest-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void resetClocks() {
        clock.reset();
        ClockUtil.reset();
    }

    @Test
    void cloneReportedOverRestOpensIssueThatTheAgentComingUpResolves() throws Exception {
        Instant completedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        agent(instance + "-mid1", "Down", completedAt.minus(Duration.ofDays(2)));
        String cloneId = "c-" + UUID.randomUUID();
        String body = "{\"cloneId\":\"" + cloneId + "\",\"instance\":\"" + instance + "\",\"completedAt\":\""
                + completedAt + "\"}";

        HttpResponse<String> first = send("POST", "/api/clones", body);
        HttpResponse<String> again = send("POST", "/api/clones", body);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        String processInstanceId = json.readTree(first.body()).get("processInstanceId").asText();
        assertThat(json.readTree(again.body()).get("processInstanceId").asText()).isEqualTo(processInstanceId);

        runJob(processInstanceId);
        Instant firstCheck = completedAt.plus(Duration.ofMinutes(15));
        clock.advance(Duration.between(clock.instant(), firstCheck));
        ClockUtil.setCurrentTime(Date.from(firstCheck));
        runJob(processInstanceId);

        JsonNode issues = json.readTree(send("GET", "/api/agents/" + instance + "-mid1/issues", null).body());
        assertThat(issues).hasSize(1);
        assertThat(issues.get(0).get("state").asText()).isEqualTo("Open");
        assertThat(issues.get(0).get("source").asText()).isEqualTo("InstanceClone");

        assertThat(send("PUT", "/api/agents/" + instance + "-mid1/status", "{\"status\":\"Up\"}").statusCode())
                .isEqualTo(200);

        JsonNode after = json.readTree(send("GET", "/api/agents/" + instance + "-mid1/issues", null).body());
        assertThat(after.get(0).get("state").asText()).isEqualTo("Resolved");
        JsonNode resolved = json.readTree(send("GET", "/api/issues?state=Resolved&source=InstanceClone", null).body());
        assertThat(resolved.findValuesAsText("agent")).contains(instance + "-mid1");
    }

    @Test
    void checkStartedThroughTheEngineRestApiRegistersTheCloneAndItsSnapshot() throws Exception {
        Instant completedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10);
        agent(instance + "-mid3", "Down", completedAt.minus(Duration.ofDays(1)));
        String cloneId = "er-" + UUID.randomUUID();
        String body = """
                {"businessKey": "%s", "variables": {
                  "cloneId": {"value": "%s", "type": "String"},
                  "instance": {"value": "%s", "type": "String"},
                  "completedAt": {"value": "%s", "type": "String"}}}"""
                .formatted(cloneId, cloneId, instance, completedAt);

        HttpResponse<String> started = send("POST", "/engine-rest/process-definition/key/postCloneCheckProcess/start",
                body, "operator:operator");

        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        String processInstanceId = json.readTree(started.body()).get("id").asText();
        runJob(processInstanceId);
        assertThat(jdbc.sql("select process_instance_id from instance_clone where clone_id = ?").param(cloneId)
                .query(String.class).single()).isEqualTo(processInstanceId);
        assertThat(jdbc.sql("select agent from clone_snapshot_agent where clone_id = ?").param(cloneId)
                .query(String.class).list()).containsExactly(instance + "-mid3");
        Job firstCheck = management.createJobQuery().processInstanceId(processInstanceId).timers().singleResult();
        assertThat(firstCheck.getDuedate()).isEqualTo(Date.from(completedAt.plus(Duration.ofMinutes(15))));
    }

    @Test
    void badReportsAreRefusedNamingTheFieldAndWriteNothing() throws Exception {
        agent(instance + "-mid2", "Down", Instant.now().minus(Duration.ofDays(1)));
        long clonesBefore = clones();

        assertProblem(send("POST", "/api/clones", "{\"cloneId\":\"x1\",\"instance\":\"" + instance
                + "\",\"completedAt\":\"" + Instant.now().plus(Duration.ofMinutes(30)) + "\"}"), 400, "completedAt");
        assertProblem(send("POST", "/api/clones", "{\"cloneId\":\"x2\",\"instance\":\"" + instance
                + "\",\"completedAt\":\"yesterday\"}"), 400, "completedAt");
        assertProblem(send("POST", "/api/clones", "{\"cloneId\":\"x3\",\"instance\":\"" + instance + "\"}"), 400,
                "completedAt");
        assertProblem(send("POST", "/api/clones", "{\"cloneId\":\"x4\",\"instance\":\"no-such-instance\","
                + "\"completedAt\":\"" + Instant.now() + "\"}"), 404, "instance");
        assertProblem(send("POST", "/api/clones", "{\"cloneId\":\"x5'; drop table agent;--\",\"instance\":\""
                + instance + "\",\"completedAt\":\"" + Instant.now() + "\"}"), 400, "cloneId");
        assertThat(send("POST", "/api/clones", "{\"cloneId\":").statusCode()).isEqualTo(400);
        assertProblem(send("GET", "/api/agents/nobody-" + UUID.randomUUID() + "/issues", null), 404, "name");
        assertProblem(send("GET", "/api/issues?state=Sleeping", null), 400, "state");

        assertThat(clones()).isEqualTo(clonesBefore);
    }

    private void assertProblem(HttpResponse<String> response, int status, String field) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json.readTree(response.body()).path("field").asText()).isEqualTo(field);
    }

    private long clones() {
        return jdbc.sql("select count(*) from instance_clone").query(Long.class).single();
    }

    private void runJob(String processInstanceId) {
        Job job = management.createJobQuery().processInstanceId(processInstanceId).singleResult();
        management.executeJob(job.getId());
    }

    private void agent(String name, String status, Instant createdAt) {
        jdbc.sql("""
                insert into agent (name, instance, username, status, registration, created_at)
                values (?, ?, 'svc-mid', ?, 'automatic', ?)""")
                .params(name, instance, status, Timestamp.from(createdAt)).update();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, "demo:demo");
    }

    private HttpResponse<String> send(String method, String path, String body, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
