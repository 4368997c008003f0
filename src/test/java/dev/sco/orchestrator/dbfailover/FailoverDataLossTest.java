package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.Decisions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.util.Map;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.continuity.SyncControl;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What a failover loses, measured: an unplanned failover loses exactly the rows the primary
 * acknowledged after the last sync checkpoint (the window shown at approval); a planned one
 * loses nothing.
 */
@OrchestratorTest
class FailoverDataLossTest {

    private static final String WRITE = "insert into monitored.alert (computer_id, rule_id, severity, state, raised_at) "
            + "select computer_id, rule_id, 1, 'new', now() from monitored.alert order by id limit 1";
    private static final String ALERTS = "select count(*) from monitored.alert";

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SyncControl sync;

    private FailoverEstate estate;

    @BeforeEach
    void syncedPair() throws Exception {
        estate = new FailoverEstate(jdbc);
        sync.runNow(estate.primary);
        estate.consumersFollowTheirBindings();
    }

    @AfterEach
    void stop() {
        estate.close();
    }

    @Test
    void unplannedFailoverLosesExactlyTheWritesAfterTheLastCheckpoint() throws Exception {
        for (int i = 0; i < 7; i++) {
            estate.onPrimary(WRITE);
        }
        long acknowledgedOnPrimary = estate.count(true, ALERTS);
        long afterCheckpoint = estate.count(true, "select count(*) from monitored.alert where created_at > '"
                + sync.lastSuccessfulCheckpoint(estate.primary).orElseThrow() + "'");
        estate.losePrimary();

        ProcessInstance failover = request("unplanned");
        jobs().run(failover);
        String window = (String) engine.getRuntimeService().getVariable(failover.getId(),
                DatabaseFailoverProcess.VAR_DATA_LOSS_WINDOW);
        Decisions.completeAs(engine, "dba", "dba", task(failover), Map.of("approved", true));
        jobs().run(failover);
        Decisions.completeAs(engine, "dba", "dba", task(failover), Map.of("acknowledged", true));
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(failover);

        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER).isEnded();
        assertThat(window).contains("are not on " + estate.failover);
        assertThat(afterCheckpoint).isEqualTo(7);
        assertThat(acknowledgedOnPrimary - estate.count(false, ALERTS)).isEqualTo(afterCheckpoint);
    }

    @Test
    void plannedFailoverLosesNothing() throws Exception {
        for (int i = 0; i < 5; i++) {
            estate.onPrimary(WRITE);
        }
        long acknowledgedOnPrimary = estate.count(true, ALERTS);

        ProcessInstance failover = request("planned");
        jobs().run(failover);
        Decisions.completeAs(engine, "dba", "dba", task(failover), Map.of("approved", true));
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(failover);

        assertThat(failover).hasPassed(DatabaseFailoverProcess.STOP_SYNC, DatabaseFailoverProcess.END_FAILED_OVER)
                .isEnded();
        assertThat(estate.count(false, ALERTS)).isEqualTo(acknowledgedOnPrimary);
    }

    private ProcessInstance request(String mode) {
        Api.Response requested = new Api(port).post("/api/failovers", "{\"database\":\"" + estate.primary
                + "\",\"mode\":\"" + mode + "\",\"reason\":\"data-loss test\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        return engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(requested.body().get("processInstanceId").asText()).singleResult();
    }

    private String task(ProcessInstance instance) {
        return engine.getTaskService().createTaskQuery().processInstanceId(instance.getId()).singleResult().getId();
    }

    private ProcessJobs jobs() {
        return new ProcessJobs(engine);
    }
}
