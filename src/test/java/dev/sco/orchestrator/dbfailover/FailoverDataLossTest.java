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
    dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps;
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

    /**
     * A run of the pair still copying on another node when a planned failover stops the sync: the
     * step neither waits inside its job nor copies beside that run. It stops the schedule, fails
     * into a later try, and once the run has ended the final sync copies what is left.
     */
    @Test
    void plannedFailoverTriesAgainWhileAnotherNodesRunIsStillGoing() throws Exception {
        for (int i = 0; i < 3; i++) {
            estate.onPrimary(WRITE);
        }
        long acknowledgedOnPrimary = estate.count(true, ALERTS);
        long otherRun = jdbc.sql("""
                insert into sync_run (database, failover, kind, node, started_at, result)
                values (?, ?, 'scheduled', 'other-node', now(), 'running') returning id""")
                .params(estate.primary, estate.failover).query(Long.class).single();
        jdbc.sql("update sync_state set running_run_id = ?, running_since = now(), running_node = 'other-node', "
                + "heartbeat_at = now() where database = ?").params(otherRun, estate.primary).update();

        ProcessInstance failover = request("planned");
        jobs().run(failover);
        Decisions.completeAs(engine, "dba", "dba", task(failover), Map.of("approved", true));
        jobs().run(failover);

        assertThat(failover).isWaitingAt(DatabaseFailoverProcess.STOP_SYNC);
        var stop = engine.getExternalTaskService().createExternalTaskQuery().processInstanceId(failover.getId())
                .singleResult();
        assertThat(stop.getRetries()).as("one try spent, the next one later").isEqualTo(19);
        assertThat(stop.getErrorMessage()).contains("still running on other-node");
        assertThat(jdbc.sql("select stopped_reason from sync_state where database = ?").param(estate.primary)
                .query(String.class).single()).as("no scheduled run starts meanwhile").isNotNull();
        assertThat(estate.count(false, ALERTS)).isLessThan(acknowledgedOnPrimary);

        // The other node's run ends; the next try (after its retry wait) copies what is left.
        jdbc.sql("update sync_run set result = 'abandoned', ended_at = now() where id = ?").param(otherRun).update();
        jdbc.sql("update sync_state set running_run_id = null, running_since = null, running_node = null, "
                + "heartbeat_at = null where database = ?").param(estate.primary).update();
        try {
            org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(
                    java.util.Date.from(java.time.Instant.now().plusSeconds(31)));
            jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        } finally {
            org.camunda.bpm.engine.impl.util.ClockUtil.reset();
        }
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
        return new ProcessJobs(engine, longSteps);
    }
}
