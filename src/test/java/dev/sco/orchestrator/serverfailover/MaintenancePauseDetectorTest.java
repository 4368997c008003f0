package dev.sco.orchestrator.serverfailover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.Decisions;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.pause.MaintenancePauseReviewProcess;
import dev.sco.orchestrator.pause.PauseWatchdog;
import dev.sco.orchestrator.platform.Groups;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A paused server: the heartbeat detector records "paused" and leaves it (and its sessions) alone. */
@OrchestratorTest
class MaintenancePauseDetectorTest {

    @LocalServerPort
    int port;
    @Autowired
    HeartbeatDetector detector;
    @Autowired
    OutageRepository outages;
    @Autowired
    PauseWatchdog watchdog;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;
    @Autowired
    ProcessEngine engine;

    private Estate estate;
    private Api api;
    private Instant now;

    @BeforeEach
    void setUp() {
        estate = new Estate(jdbc);
        api = new Api(port);
        now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    @AfterEach
    void tearDown() {
        clock.reset();
        ClockUtil.reset();
        // Unwatch this test's servers (a server without heartbeat is not watched) for later tests' passes.
        jdbc.sql("UPDATE server SET last_ping_at = NULL WHERE name LIKE ?").param(estate.name("%")).update();
    }

    @Test
    void aPausedDownServerIsNotFailedOverUntilTheReviewAfterItsPauseIsDone() {
        String standby = estate.server("standby", null, 180, now);
        String server = estate.server("patched", standby, 60, now);
        long session = estate.session(server, now.minusSeconds(900));
        long id = pause("server", server, Duration.ofMinutes(1));
        estate.ping(server, now.minusSeconds(600));

        detector.pass(now);
        detector.pass(now.plusSeconds(30));

        assertThat(estate.outages(outages, server)).isEmpty();
        assertThat(estate.decisions(server)).singleElement().asString().startsWith("paused: Down since ")
                .contains("maintenance pause " + id);
        assertThat(estate.sessionOpen(session)).as("nothing is done to a paused server").isTrue();

        moveClock(Duration.ofMinutes(2));
        assertThat(watchdog.pass()).isGreaterThanOrEqualTo(1);
        JsonNode ended = api.get("/api/pauses/" + id).body();
        assertThat(ended.path("state").asText()).isEqualTo("awaiting-review");
        assertThat(ended.path("endKind").asText()).isEqualTo("expired");
        assertThat(ended.path("healthAtEnd").asText()).startsWith("Down");
        Task review = review(id);

        detector.pass(clock.instant());
        assertThat(estate.outages(outages, server)).as("no failover starts silently on resume").isEmpty();
        assertThat(estate.decisions(server)).last().asString().startsWith("paused: ").contains("review");

        Decisions.completeAs(engine, "operator", Groups.OPERATORS, review.getId(),
                Map.of(MaintenancePauseReviewProcess.VAR_REVIEW_NOTE, "host did not come back from the patch"));
        assertThat(api.get("/api/pauses/" + id).body().path("reviewedBy").asText()).isEqualTo("operator");

        detector.pass(clock.instant());
        assertThat(estate.outages(outages, server)).singleElement().extracting(Outage::standby).isEqualTo(standby);
        assertThat(estate.decisions(server)).last().asString().startsWith("started: ");
        assertThat(estate.sessionOpen(session)).isFalse();
    }

    @Test
    void aPausedStandbyHoldsTheFailoverOntoIt() {
        String standby = estate.server("standby", null, 180, now);
        String server = estate.server("failing", standby, 60, now.minusSeconds(600));
        long id = pause("server", standby, Duration.ofHours(1));

        detector.pass(now);

        assertThat(estate.outages(outages, server)).isEmpty();
        assertThat(estate.decisions(server)).singleElement().asString()
                .startsWith("paused: ").contains("standby " + standby + " is held").contains("pause " + id);
        api.as(Api.OPERATOR).post("/api/pauses/" + id + "/end");
    }

    @Test
    void aPauseEndedEarlyIsRecordedAndAHealthyServerIsWatchedAgain() {
        String server = estate.server("healthy", null, 180, now);
        long id = pause("server", server, Duration.ofHours(1));

        JsonNode ended = api.as(Api.DBA).post("/api/pauses/" + id + "/end").body();

        assertThat(ended.path("state").asText()).isEqualTo("ended");
        assertThat(ended.path("endKind").asText()).isEqualTo("ended-early");
        assertThat(ended.path("endedBy").asText()).isEqualTo("dba");
        assertThat(jdbc.sql("select ended_by from maintenance_pause where id = ?").param(id).query(String.class)
                .single()).isEqualTo("dba");
        assertThat(engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceBusinessKey(MaintenancePauseReviewProcess.businessKey(id)).count()).isZero();
    }

    private long pause(String kind, String name, Duration length) {
        Api.Response created = api.as(Api.OPERATOR).post("/api/pauses", Api.json(Map.of(
                "target", Map.of("kind", kind, "name", name), "reason", "OS patching",
                "until", clock.instant().plus(length).toString())));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.body().path("id").asLong();
    }

    private void moveClock(Duration by) {
        clock.advance(by);
        ClockUtil.setCurrentTime(Date.from(clock.instant()));
    }

    private Task review(long pauseId) {
        Task task = engine.getTaskService().createTaskQuery()
                .processInstanceBusinessKey(MaintenancePauseReviewProcess.businessKey(pauseId))
                .taskDefinitionKey(MaintenancePauseReviewProcess.REVIEW_TARGET).taskCandidateGroup(Groups.OPERATORS)
                .singleResult();
        assertThat(task).as("review task of pause %s", pauseId).isNotNull();
        return task;
    }
}
