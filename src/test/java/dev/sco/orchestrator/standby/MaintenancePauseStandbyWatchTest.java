package dev.sco.orchestrator.standby;

import static dev.sco.orchestrator.standby.Hubs.A;
import static dev.sco.orchestrator.standby.Hubs.B;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.Decisions;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.pause.MaintenancePauseReviewProcess;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.decision.DecisionRecorder.Decision;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A paused hub pair: the standby watch records "paused" and promotes nobody while its acting hub
 * is lost; the pause ended early with the acting hub still lost holds the watch until the review
 * is done. The watch also runs every 5 s in the background; assertions hold whichever pass ran.
 */
@OrchestratorTest
class MaintenancePauseStandbyWatchTest {

    @LocalServerPort
    int port;
    @Autowired
    StandbyWatch watch;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ProcessEngine engine;

    Hubs hubs;
    Api api;

    @BeforeEach
    void setUp() {
        hubs = new Hubs(port).create();
        api = new Api(port);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aPausedPairIsNotTakenOverAndItsReviewHoldsTheWatchAfterAnEarlyEnd() {
        hubs.beat(A);
        hubs.beat(B);
        watch.pass(clock.instant());
        assertThat(hubs.pairState().text("acting")).isEqualTo(A);

        Api.Response created = api.as(Api.OPERATOR).post("/api/pauses", Api.json(Map.of(
                "target", Map.of("kind", "hub-pair", "name", hubs.pair), "reason", "hub-a firmware",
                "until", clock.instant().plus(Duration.ofHours(1)).toString())));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long id = created.body().path("id").asLong();

        clock.advance(Duration.ofSeconds(10));
        hubs.beat(B);
        clock.advance(Duration.ofSeconds(10));
        hubs.beat(B);
        assertThat(mine(watch.pass(clock.instant()))).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(SensorDecision.PAUSED);
            assertThat(d.reason()).contains("maintenance pause " + id).contains("acting hub " + A + " lost");
        });
        assertThat(hubs.pairState().text("acting")).isEqualTo(A);
        assertThat(takeovers()).isZero();

        JsonNode ended = api.as(Api.DBA).post("/api/pauses/" + id + "/end").body();
        assertThat(ended.path("state").asText()).as("%s", ended).isEqualTo("awaiting-review");
        assertThat(ended.path("endKind").asText()).isEqualTo("ended-early");
        assertThat(ended.path("endedBy").asText()).isEqualTo("dba");
        assertThat(ended.path("healthAtEnd").asText()).contains("acting hub " + A + " lost");
        Task review = engine.getTaskService().createTaskQuery()
                .processInstanceBusinessKey(MaintenancePauseReviewProcess.businessKey(id))
                .taskDefinitionKey(MaintenancePauseReviewProcess.REVIEW_TARGET).singleResult();
        assertThat(review).isNotNull();

        hubs.beat(B);
        assertThat(mine(watch.pass(clock.instant()))).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo(SensorDecision.PAUSED);
            assertThat(d.reason()).contains("review");
        });
        assertThat(hubs.pairState().text("acting")).as("no takeover starts silently on resume").isEqualTo(A);
        assertThat(takeovers()).isZero();

        Decisions.completeAs(engine, "operator", Groups.OPERATORS, review.getId(),
                Map.of(MaintenancePauseReviewProcess.VAR_REVIEW_NOTE, "hub-a stays down; take over"));
        hubs.beat(B);
        watch.pass(clock.instant());
        assertThat(hubs.pairState().text("acting")).isEqualTo(B);
        assertThat(takeovers()).isOne();
    }

    @Test
    void aPausedPairCopiesNothingWhileBothHubsAreAlive() {
        hubs.beat(A);
        hubs.beat(B);
        Api.Response created = api.as(Api.OPERATOR).post("/api/pauses", Api.json(Map.of(
                "target", Map.of("kind", "hub-pair", "name", hubs.pair), "reason", "information base migration",
                "until", clock.instant().plus(Duration.ofMinutes(30)).toString())));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        hubs.define(A, "cpu-high", "situation", "cpu > 90");

        assertThat(mine(watch.pass(clock.instant()))).singleElement().extracting(Decision::action)
                .isEqualTo(SensorDecision.PAUSED);
        assertThat(hubs.definitions(B)).isEmpty();

        JsonNode ended = api.as(Api.OPERATOR).post("/api/pauses/" + created.body().path("id").asLong() + "/end").body();
        assertThat(ended.path("state").asText()).isEqualTo("ended");
        watch.pass(clock.instant());
        assertThat(hubs.definitions(B)).hasSize(1);
    }

    private List<Decision> mine(List<Decision> decided) {
        return decided.stream().filter(d -> d.subject().equals(hubs.pair)).toList();
    }

    private long takeovers() {
        return jdbc.sql("select count(*) from hub_takeover where pair = ?").param(hubs.pair).query(Long.class).single();
    }
}
