package dev.sco.orchestrator.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.Decisions;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.pause.MaintenancePauseReviewProcess;
import dev.sco.orchestrator.pause.PauseWatchdog;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.decision.DecisionRecorder;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A paused database: the health probe records "paused" and starts no failover however long its
 * primary is unreachable; the pause ends by itself (the watchdog, clock moved) or early, and a
 * target unhealthy at that moment gets an operator review that holds the probe off until done.
 * The probe also runs in the background (Quartz): the assertions hold whichever pass ran.
 */
@OrchestratorTest
class MaintenancePauseProbeTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DatabaseHealthProbe probe;
    @Autowired
    FailoverRepository repository;
    @Autowired
    PauseWatchdog watchdog;
    @Autowired
    MutableClock clock;
    @Autowired
    ProcessEngine engine;

    FailoverEstate estate;
    Api api;

    @BeforeEach
    void setUp() throws Exception {
        estate = new FailoverEstate(jdbc);
        api = new Api(port);
    }

    @AfterEach
    void tearDown() {
        clock.reset();
        ClockUtil.reset();
        // The estate's primary answers again, so the background probe never fails it over later.
        estate.returnPrimary();
        estate.close();
    }

    @Test
    void aPausedUnreachablePrimaryIsNotFailedOverAndItsPauseEndsByTimeIntoAReview() {
        long id = pause(Duration.ofMinutes(1));
        estate.losePrimary();

        for (int i = 0; i < 5; i++) {
            assertThat(mine(probe.pass())).singleElement().satisfies(d -> {
                assertThat(d.action()).isEqualTo(SensorDecision.PAUSED);
                assertThat(d.reason()).contains("maintenance pause " + id).contains("last probe unreachable");
            });
        }
        assertThat(failovers()).isZero();
        assertThat(repository.probeFailures(estate.primary)).as("held probes do not count").isZero();
        JsonNode latest = latestDecision();
        assertThat(latest.path("action").asText()).isEqualTo("paused");
        assertThat(latest.path("count").asInt()).as("passes coalesce into one record").isGreaterThanOrEqualTo(5);

        moveClock(Duration.ofMinutes(2));
        assertThat(watchdog.pass()).isGreaterThanOrEqualTo(1);

        JsonNode ended = api.get("/api/pauses/" + id).body();
        assertThat(ended.path("state").asText()).isEqualTo("awaiting-review");
        assertThat(ended.path("endKind").asText()).isEqualTo("expired");
        assertThat(ended.path("endedBy").asText()).isEqualTo("pause-watchdog");
        assertThat(ended.path("unhealthyAtEnd").asBoolean()).isTrue();
        assertThat(ended.path("healthAtEnd").asText()).contains("unreachable");
        Task review = review(id);
        assertThat(engine.getTaskService().getVariable(review.getId(), MaintenancePauseReviewProcess.VAR_TARGET_NAME))
                .isEqualTo(estate.primary);
        assertThat(engine.getTaskService().createTaskQuery().taskId(review.getId()).taskCandidateGroup(Groups.OPERATORS)
                .count()).isOne();

        for (int i = 0; i < 5; i++) {
            assertThat(mine(probe.pass())).singleElement().satisfies(d -> {
                assertThat(d.action()).isEqualTo(SensorDecision.PAUSED);
                assertThat(d.reason()).contains("review");
            });
        }
        assertThat(failovers()).as("no failover starts silently on resume").isZero();
        assertThat(watchdog.pass()).as("the end is recorded once").isZero();
        assertThat(api.get("/api/pauses/" + id).body().path("endedAt").asText()).isEqualTo(ended.path("endedAt").asText());
    }

    @Test
    void aPauseEndedEarlyWhileTheTargetIsUnhealthyHoldsTheProbeUntilTheReviewIsCompleted() {
        long id = pause(Duration.ofHours(1));
        estate.losePrimary();
        assertThat(mine(probe.pass())).singleElement().extracting(DecisionRecorder.Decision::action)
                .isEqualTo(SensorDecision.PAUSED);

        JsonNode ended = api.as(Api.DBA).post("/api/pauses/" + id + "/end").body();
        assertThat(ended.path("state").asText()).isEqualTo("awaiting-review");
        assertThat(ended.path("endKind").asText()).isEqualTo("ended-early");
        assertThat(ended.path("endedBy").asText()).isEqualTo("dba");
        Task review = review(id);
        for (int i = 0; i < 4; i++) {
            assertThat(mine(probe.pass())).singleElement().extracting(DecisionRecorder.Decision::action)
                    .isEqualTo(SensorDecision.PAUSED);
        }
        assertThat(failovers()).isZero();

        Decisions.completeAs(engine, "operator", Groups.OPERATORS, review.getId(),
                Map.of(MaintenancePauseReviewProcess.VAR_REVIEW_NOTE, "storage still rebuilding; failover is fine"));

        JsonNode reviewed = api.get("/api/pauses/" + id).body();
        assertThat(reviewed.path("state").asText()).isEqualTo("ended");
        assertThat(reviewed.path("reviewState").asText()).isEqualTo("done");
        assertThat(reviewed.path("reviewedBy").asText()).isEqualTo("operator");
        assertThat(reviewed.path("reviewNote").asText()).startsWith("storage still rebuilding");
        // The probe acts again by its own rules, counting afresh: the first pass after the review
        // records an unreachable probe, it does not fail over at once.
        assertThat(mine(probe.pass())).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(SensorDecision.SKIPPED);
            assertThat(d.reason()).startsWith("unreachable (");
        });
    }

    @Test
    void aPauseEndedEarlyWhileTheTargetIsHealthyNeedsNoReview() {
        long id = pause(Duration.ofHours(1));
        assertThat(mine(probe.pass())).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(SensorDecision.PAUSED);
            assertThat(d.reason()).contains("last probe reachable");
        });
        JsonNode health = api.get("/actuator/health/targets").body().path("components").path("targets")
                .path("components").path(estate.primary).path("details");
        assertThat(health.path("maintenancePause").asText()).as("%s", health).contains("maintenance pause " + id);
        // A pause holds the sensors, not people: a failover asked for by hand still starts.
        Api.Response manual = api.as(Api.DBA).post("/api/failovers", Api.json(Map.of("database", estate.primary,
                "mode", "drill", "reason", "drill during the maintenance")));
        assertThat(manual.status()).as("%s", manual).isEqualTo(201);
        assertThat(manual.text("requestedBy")).isEqualTo("dba");

        JsonNode ended = api.as(Api.OPERATOR).post("/api/pauses/" + id + "/end").body();
        assertThat(ended.path("state").asText()).isEqualTo("ended");
        assertThat(ended.path("endedBy").asText()).isEqualTo("operator");
        assertThat(ended.path("unhealthyAtEnd").asBoolean(true)).isFalse();
        assertThat(engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceBusinessKey(MaintenancePauseReviewProcess.businessKey(id)).count()).isZero();
        assertThat(mine(probe.pass())).noneMatch(d -> d.action().equals(SensorDecision.PAUSED));
        assertThat(api.get("/actuator/health/targets").body().path("components").path("targets").path("components")
                .path(estate.primary).path("details").has("maintenancePause")).isFalse();
    }

    @Test
    void pausingTheFailoverDatabaseHoldsItsPrimarysFailover() {
        Api.Response paused = api.as(Api.DBA).post("/api/pauses", body(estate.failover, Duration.ofHours(1)));
        assertThat(paused.status()).as("%s", paused).isEqualTo(201);
        estate.losePrimary();

        for (int i = 0; i < 4; i++) {
            assertThat(mine(probe.pass())).singleElement().satisfies(d -> {
                assertThat(d.action()).isEqualTo(SensorDecision.PAUSED);
                assertThat(d.reason()).startsWith("failover database " + estate.failover + " is held");
            });
        }
        assertThat(failovers()).isZero();
        estate.returnPrimary();
        probe.pass();
        api.as(Api.DBA).post("/api/pauses/" + paused.body().path("id").asLong() + "/end");
    }

    private long pause(Duration length) {
        Api.Response created = api.as(Api.DBA).post("/api/pauses", body(estate.primary, length));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.body().path("id").asLong();
    }

    private String body(String database, Duration length) {
        return Api.json(Map.of("target", Map.of("kind", "database", "name", database),
                "reason", "storage firmware upgrade", "until", clock.instant().plus(length).toString()));
    }

    private void moveClock(Duration by) {
        clock.advance(by);
        ClockUtil.setCurrentTime(Date.from(clock.instant()));
    }

    private Task review(long pauseId) {
        Task task = engine.getTaskService().createTaskQuery()
                .processInstanceBusinessKey(MaintenancePauseReviewProcess.businessKey(pauseId))
                .taskDefinitionKey(MaintenancePauseReviewProcess.REVIEW_TARGET).singleResult();
        assertThat(task).as("review task of pause %s", pauseId).isNotNull();
        return task;
    }

    private List<DecisionRecorder.Decision> mine(List<DecisionRecorder.Decision> made) {
        return made.stream().filter(d -> d.subject().equals(estate.primary)).toList();
    }

    private JsonNode latestDecision() {
        return api.get("/api/decisions?sensor=" + DatabaseHealthProbe.SENSOR + "&subject=" + estate.primary).body()
                .path(0);
    }

    private long failovers() {
        return jdbc.sql("select count(*) from continuity_operation where database = ?").param(estate.primary)
                .query(Long.class).single();
    }
}
