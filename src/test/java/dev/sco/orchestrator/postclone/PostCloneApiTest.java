package dev.sco.orchestrator.postclone;

import static dev.sco.orchestrator.Api.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
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
    private final String instance = "rest-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void resetClocks() {
        clock.reset();
        ClockUtil.reset();
    }

    @Test
    void cloneReportedOverRestOpensIssueThatTheAgentComingUpResolves() {
        Instant completedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        agent(instance + "-mid1", "Down", completedAt.minus(Duration.ofDays(2)));
        String cloneId = "c-" + UUID.randomUUID();
        String body = "{\"cloneId\":\"" + cloneId + "\",\"instance\":\"" + instance + "\",\"completedAt\":\""
                + completedAt + "\"}";

        Api.Response first = api().post("/api/clones", body);
        Api.Response again = api().post("/api/clones", body);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        String processInstanceId = first.text("processInstanceId");
        assertThat(again.text("processInstanceId")).isEqualTo(processInstanceId);

        runJob(processInstanceId);
        Instant firstCheck = completedAt.plus(Duration.ofMinutes(15));
        clock.advance(Duration.between(clock.instant(), firstCheck));
        ClockUtil.setCurrentTime(Date.from(firstCheck));
        runJob(processInstanceId);

        JsonNode issues = api().get("/api/agents/" + instance + "-mid1/issues").body();
        assertThat(issues).hasSize(1);
        assertThat(issues.get(0).get("state").asText()).isEqualTo("Open");
        assertThat(issues.get(0).get("source").asText()).isEqualTo("InstanceClone");

        assertThat(api().put("/api/agents/" + instance + "-mid1/status", "{\"status\":\"Up\"}").status())
                .isEqualTo(200);

        JsonNode after = api().get("/api/agents/" + instance + "-mid1/issues").body();
        assertThat(after.get(0).get("state").asText()).isEqualTo("Resolved");
        JsonNode resolved = api().get("/api/issues?state=Resolved&source=InstanceClone").body();
        assertThat(resolved.findValuesAsText("agent")).contains(instance + "-mid1");
    }

    @Test
    void checkStartedThroughTheEngineRestApiRegistersTheCloneAndItsSnapshot() {
        Instant completedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10);
        agent(instance + "-mid3", "Down", completedAt.minus(Duration.ofDays(1)));
        String cloneId = "er-" + UUID.randomUUID();
        String body = """
                {"businessKey": "%s", "variables": {
                  "cloneId": {"value": "%s", "type": "String"},
                  "instance": {"value": "%s", "type": "String"},
                  "completedAt": {"value": "%s", "type": "String"}}}"""
                .formatted(cloneId, cloneId, instance, completedAt);

        Api.Response started = api().as(Api.OPERATOR)
                .post("/engine-rest/process-definition/key/postCloneCheckProcess/start", body);

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        String processInstanceId = started.text("id");
        runJob(processInstanceId);
        assertThat(jdbc.sql("select process_instance_id from instance_clone where clone_id = ?").param(cloneId)
                .query(String.class).single()).isEqualTo(processInstanceId);
        assertThat(jdbc.sql("select agent from clone_snapshot_agent where clone_id = ?").param(cloneId)
                .query(String.class).list()).containsExactly(instance + "-mid3");
        Job firstCheck = management.createJobQuery().processInstanceId(processInstanceId).timers().singleResult();
        assertThat(firstCheck.getDuedate()).isEqualTo(Date.from(completedAt.plus(Duration.ofMinutes(15))));
    }

    @Test
    void badReportsAreRefusedNamingTheFieldAndWriteNothing() {
        agent(instance + "-mid2", "Down", Instant.now().minus(Duration.ofDays(1)));
        long clonesBefore = clones();

        assertProblem(api().post("/api/clones", "{\"cloneId\":\"x1\",\"instance\":\"" + instance
                + "\",\"completedAt\":\"" + Instant.now().plus(Duration.ofMinutes(30)) + "\"}"), 400, "completedAt");
        assertProblem(api().post("/api/clones", "{\"cloneId\":\"x2\",\"instance\":\"" + instance
                + "\",\"completedAt\":\"yesterday\"}"), 400, "completedAt");
        assertProblem(api().post("/api/clones", "{\"cloneId\":\"x3\",\"instance\":\"" + instance + "\"}"), 400,
                "completedAt");
        assertProblem(api().post("/api/clones", "{\"cloneId\":\"x4\",\"instance\":\"no-such-instance\","
                + "\"completedAt\":\"" + Instant.now() + "\"}"), 404, "instance");
        assertProblem(api().post("/api/clones", "{\"cloneId\":\"x5'; drop table agent;--\",\"instance\":\""
                + instance + "\",\"completedAt\":\"" + Instant.now() + "\"}"), 400, "cloneId");
        assertProblem(api().post("/api/clones", "{\"cloneId\":"), 400, "body");
        assertProblem(api().get("/api/agents/nobody-" + UUID.randomUUID() + "/issues"), 404, "name");
        assertProblem(api().get("/api/issues?state=Sleeping"), 400, "state");

        assertThat(clones()).isEqualTo(clonesBefore);
    }

    private Api api() {
        return new Api(port);
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
}
