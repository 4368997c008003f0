package dev.sco.orchestrator.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import dev.sco.orchestrator.platform.continuity.SyncControl;
import dev.sco.orchestrator.platform.target.ScriptRunner;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The auto-approval policy (the reconnect callouts are in {@link ReconnectCalloutTest}). */
@OrchestratorTest
class FailoverPolicyAndCalloutTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    FailoverRepository repository;
    @Autowired
    TargetDatabases targets;
    @Autowired
    ScriptRunner scripts;
    @Autowired
    SyncControl sync;
    @Autowired
    MeterRegistry meters;
    @Autowired
    Fencing fencing;
    @Autowired
    FailoverService failovers;
    @Autowired
    ProcessEngine engine;

    private FailoverEstate estate;

    @BeforeEach
    void estate() throws Exception {
        estate = new FailoverEstate(jdbc);
    }

    @AfterEach
    void close() {
        estate.close();
    }

    @Test
    void policyApprovesOnlyUnplannedFailoversWithASmallKnownWindow() {
        FailoverService withPolicy = service(Duration.ofMinutes(10));
        FailoverService withoutPolicy = service(Duration.ZERO);

        long small = operation("unplanned", Duration.ofMinutes(3));
        long large = operation("drill", Duration.ofMinutes(3));

        assertThat(withPolicy.autoApproves(small)).isTrue();
        assertThat(withoutPolicy.autoApproves(small)).isFalse();
        assertThat(withPolicy.autoApproves(large)).as("only unplanned failovers").isFalse();
        jdbc.sql("update continuity_operation set data_loss_window_ms = ? where id = ?")
                .params(Duration.ofMinutes(30).toMillis(), small).update();
        assertThat(withPolicy.autoApproves(small)).as("window above the bound").isFalse();
        jdbc.sql("update continuity_operation set data_loss_window_ms = null where id = ?").param(small).update();
        assertThat(withPolicy.autoApproves(small)).as("unknown window").isFalse();
    }

    @Test
    void failoverApprovedByPolicyGoesOnWithoutAnApprovalTask() {
        long id = repository.insertFailover(estate.primary, estate.failover, "drill", "health-probe", "policy path",
                null, Instant.now()).orElseThrow();
        ProcessInstance instance = engine.getRuntimeService().createProcessInstanceByKey(DatabaseFailoverProcess.KEY)
                .startBeforeActivity(DatabaseFailoverProcess.APPROVAL_GATEWAY)
                .setVariable(DatabaseFailoverProcess.VAR_OPERATION_ID, id)
                .setVariable(DatabaseFailoverProcess.VAR_MODE, "drill")
                .setVariable(DatabaseFailoverProcess.VAR_AUTO_APPROVED, true)
                .setVariable(DatabaseFailoverProcess.VAR_PRE_FLIGHT, "(not run)")
                .execute();
        // As FailoverRequests does after a start: the record is bound to its process instance.
        repository.setProcess(id, instance.getId());

        new ProcessJobs(engine).run(instance);

        BpmnAwareTests.assertThat(instance).hasPassed("Gateway_ApprovalGiven", DatabaseFailoverProcess.END_DRILL)
                .hasNotPassed(DatabaseFailoverProcess.APPROVE).isEnded();
    }

    private long operation(String mode, Duration window) {
        long id = repository.insertFailover(estate.primary, estate.failover, mode, "test", "policy", null, Instant.now())
                .orElseThrow();
        repository.recordPreFlight(id, window.toMillis(), Instant.now().minus(window));
        jdbc.sql("update continuity_operation set ended_at = now() where id = ?").param(id).update();
        return id;
    }

    private FailoverService service(Duration autoApproveBelow) {
        FailoverSettings settings = new FailoverSettings(Duration.ofSeconds(5), 3, Duration.ofSeconds(2), autoApproveBelow,
                Duration.ofSeconds(3), Duration.ofMillis(100), "");
        return new FailoverService(repository, targets, scripts, sync, settings, Clock.systemUTC(), meters, fencing);
    }
}
