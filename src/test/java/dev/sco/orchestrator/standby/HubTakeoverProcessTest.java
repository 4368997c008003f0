package dev.sco.orchestrator.standby;

import static dev.sco.orchestrator.standby.Hubs.A;
import static dev.sco.orchestrator.standby.Hubs.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code hubTakeoverProcess}, started by a real promotion of the standby watch and driven job by job. */
@OrchestratorTest
class HubTakeoverProcessTest {

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    StandbyWatch watch;
    @Autowired
    StandbyService service;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;

    Hubs hubs;

    @BeforeEach
    void setUp() {
        BpmnAwareTests.init(engine);
        hubs = new Hubs(port).create();
    }

    @AfterEach
    void resetClocks() {
        clock.reset();
        ClockUtil.reset();
    }

    @Test
    void takeoverResetsTheEventSinkSituationsAndPoliciesThenAsksOperatorsForThePortal() {
        ProcessInstance takeover = takeOverWithSituationsAndPolicies();
        assertThat(takeover).isWaitingAt(HubTakeoverProcess.EMIT_MASTER_RESET);
        assertThat(takeover).variables().containsEntry(HubTakeoverProcess.VAR_PAIR, hubs.pair)
                .containsEntry(HubTakeoverProcess.VAR_NEW_ACTING_HUB, B)
                .containsEntry(HubTakeoverProcess.VAR_PREVIOUS_ACTING_HUB, A)
                .containsEntry(HubTakeoverProcess.VAR_STANDBY_WAS_SYNCHRONISED, true);

        execute(job(takeover));
        JsonNode events = hubs.get("/api/hubs/" + hubs.pair + "/events").body();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("kind").asText()).isEqualTo(HubTakeoverProcess.EVENT_MASTER_RESET);
        assertThat(events.get(0).path("webhookStatus").asText()).isEqualTo("not-configured");
        assertThat(events.get(0).path("payload").path("event").asText()).isEqualTo("MASTER_RESET");
        assertThat(events.get(0).path("payload").path("actingHub").asText()).isEqualTo(B);
        assertThat(events.get(0).path("payload").path("previousActingHub").asText()).isEqualTo(A);

        execute(job(takeover));
        JsonNode situations = hubs.get("/api/hubs/" + hubs.pair + "/situations").body();
        assertThat(situations.findValuesAsText("name")).containsExactly("cpu-high", "disk-full");
        assertThat(situations.findValues("needsReevaluation")).allMatch(JsonNode::asBoolean);
        assertThat(takeover).variables().containsEntry(HubTakeoverProcess.VAR_SITUATIONS_MARKED, 2);

        execute(job(takeover));
        JsonNode policies = hubs.get("/api/hubs/" + hubs.pair + "/policies").body();
        assertThat(policies.get(0).path("name").asText()).isEqualTo("notify-ops");
        assertThat(policies.get(0).path("step").asInt()).as("running policy back at its beginning").isZero();
        assertThat(policies.get(0).path("restartCount").asInt()).isOne();
        assertThat(policies.get(1).path("name").asText()).isEqualTo("purge-old");
        assertThat(policies.get(1).path("step").asInt()).as("stopped policy untouched").isEqualTo(4);
        assertThat(policies.get(1).path("restartCount").asInt()).isZero();

        assertThat(takeover).isWaitingAt(HubTakeoverProcess.RECONFIGURE_PORTAL);
        assertThat(task(takeover)).hasCandidateGroup("operators");
        assertThatThrownBy(() -> complete(task(takeover),
                withVariables(HubTakeoverProcess.VAR_PORTAL_RECONFIGURED, false)))
                .isInstanceOf(ProcessEngineException.class).hasMessageContaining("Portal reconfigured");
        assertThat(takeover).isWaitingAt(HubTakeoverProcess.RECONFIGURE_PORTAL);

        complete(task(takeover), withVariables(HubTakeoverProcess.VAR_PORTAL_RECONFIGURED, true));
        assertThat(takeover).hasPassed(HubTakeoverProcess.END).isEnded();

        hubs.post("/api/hubs/" + hubs.pair + "/situations/cpu-high/evaluated");
        assertThat(hubs.get("/api/hubs/" + hubs.pair + "/situations").body().get(0).path("needsReevaluation")
                .asBoolean()).isFalse();
    }

    @Test
    void stepsRunTwiceChangeNothingTheSecondTime() {
        ProcessInstance takeover = takeOverWithSituationsAndPolicies();
        String key = takeover.getBusinessKey();
        execute(job(takeover));
        execute(job(takeover));
        execute(job(takeover));

        long firstEvent = service.emitMasterReset(takeover.getId(), hubs.pair, B, A, key).id();
        assertThat(service.reevaluateSituations(hubs.pair, B, key)).isZero();
        assertThat(service.restartPolicies(hubs.pair, key)).isZero();

        assertThat(hubs.get("/api/hubs/" + hubs.pair + "/events").body()).hasSize(1);
        assertThat(hubs.get("/api/hubs/" + hubs.pair + "/events").body().get(0).path("id").asLong())
                .isEqualTo(firstEvent);
        assertThat(hubs.get("/api/hubs/" + hubs.pair + "/policies").body().get(0).path("restartCount").asInt())
                .isOne();
    }

    @Test
    void untouchedPortalTaskSendsAReminderAndStaysOpen() {
        ProcessInstance takeover = takeOverWithSituationsAndPolicies();
        execute(job(takeover));
        execute(job(takeover));
        execute(job(takeover));

        Job reminder = engine.getManagementService().createJobQuery().processInstanceId(takeover.getId()).timers()
                .singleResult();
        assertThat(reminder.getDuedate()).isCloseTo(Date.from(ClockUtil.getCurrentTime().toInstant()
                .plus(Duration.ofHours(1))), 5_000);
        ClockUtil.setCurrentTime(Date.from(reminder.getDuedate().toInstant().plusSeconds(1)));
        execute(reminder);
        execute(job(takeover));

        assertThat(takeover).hasPassed(HubTakeoverProcess.REMIND_OPERATORS, HubTakeoverProcess.END_REMINDER)
                .isWaitingAt(HubTakeoverProcess.RECONFIGURE_PORTAL);
        assertThat(hubs.get("/api/hubs/" + hubs.pair + "/events").body().findValuesAsText("kind"))
                .containsExactlyInAnyOrder(HubTakeoverProcess.EVENT_MASTER_RESET, HubTakeoverProcess.EVENT_PORTAL_REMINDER);
    }

    @Test
    void startedWithoutAPromotionOfTheWatchFailsAtTheFirstStepAndEmitsNothing() {
        hubs.beat(A);
        hubs.beat(B);
        ProcessInstance manual = engine.getRuntimeService().startProcessInstanceByKey(HubTakeoverProcess.KEY,
                Map.of(HubTakeoverProcess.VAR_PAIR, hubs.pair, HubTakeoverProcess.VAR_NEW_ACTING_HUB, B,
                        HubTakeoverProcess.VAR_PREVIOUS_ACTING_HUB, A));

        assertThatThrownBy(() -> execute(job(manual))).hasMessageContaining("has no hub takeover of its own");
        assertThat(hubs.get("/api/hubs/" + hubs.pair + "/events").body()).isEmpty();
    }

    /**
     * hub-a acting with two situations and a policy in its information base, hub-b in step; two
     * policies (one running at step 3, one stopped); then hub-a goes silent and the watch promotes hub-b.
     */
    private ProcessInstance takeOverWithSituationsAndPolicies() {
        hubs.beat(A);
        hubs.beat(B);
        hubs.define(A, "cpu-high", "situation", "cpu > 90");
        hubs.define(A, "disk-full", "situation", "disk > 95");
        hubs.define(A, "notify-ops", "policy", "on cpu-high: page operators");
        hubs.policy("notify-ops", "running", 3);
        hubs.policy("purge-old", "stopped", 4);
        watch.pass(clock.instant());
        clock.advance(Duration.ofSeconds(20));
        hubs.beat(B);
        watch.pass(clock.instant());
        String key = jdbc.sql("select business_key from hub_takeover where pair = ?").param(hubs.pair)
                .query(String.class).single();
        List<ProcessInstance> started = engine.getRuntimeService().createProcessInstanceQuery()
                .processDefinitionKey(HubTakeoverProcess.KEY).processInstanceBusinessKey(key).list();
        assertThat(started).hasSize(1);
        return started.get(0);
    }
}
