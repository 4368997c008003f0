package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.platform.longstep.LongStepWorker;
import static dev.sco.orchestrator.Api.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.Decisions;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.AsSystem;
import dev.sco.orchestrator.platform.continuity.SyncControl;
import dev.sco.orchestrator.platform.decision.DecisionRecorder;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Roles follow operations, through a whole outage: the primary stops answering, the probe starts
 * the failover, it completes, and from then on the failover database is the acting primary and the
 * old primary is failed. Many further probe passes start no second failover; the probe only
 * watches the failed primary for its return (decision records, a hint to restore). Sync, a full
 * resync and a sync recovery are refused while the pair is failed over or being restored. The
 * restoration puts the roles back, the probe counts the primary's failures again, and sync copies
 * from the primary to the failover database again. Every role change is in the history.
 */
@OrchestratorTest
class RolesFollowOperationsTest {

    private static final String RECOVERY = "syncRecoveryProcess";

    @LocalServerPort
    int port;
    @Autowired
    org.quartz.Scheduler scheduler;
    @Autowired
    LongStepWorker longSteps;
    @Autowired
    ProcessEngine engine;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;
    @Autowired
    DatabaseHealthProbe probe;
    @Autowired
    SyncControl sync;
    @Autowired
    DecisionRecorder decisions;
    @Autowired
    AsSystem system;

    private FailoverEstate estate;
    private String instance;

    @BeforeEach
    void estate() throws Exception {
        BpmnAwareTests.init(engine);
        estate = new FailoverEstate(jdbc);
        instance = "inst-" + estate.id;
        jdbc.sql("insert into agent (name, instance, username, status, registration) values (?, ?, 'mid', 'Up', 'manual')")
                .params("mid-" + estate.id, instance).update();
        sync.runNow(estate.primary);
        estate.consumersFollowTheirBindings();
    }

    @AfterEach
    void cleanUp() {
        clock.reset();
        estate.close();
    }

    @Test
    void aCompletedFailoverMovesTheRolesTheProbeNeverFailsTheDeadPrimaryOverAgainAndARestorationPutsThemBack()
            throws Exception {
        Api dba = api().as(Api.DBA);
        assertRoles("primary", "standby");

        // A recovery that was waiting for a DBA when the outage came (sync stopped after failed runs).
        jdbc.sql("update sync_state set stopped_at = now(), stopped_reason = '3 consecutive failed runs', "
                + "consecutive_failures = 3 where database = ?").param(estate.primary).update();
        String recovery = system.call(() -> engine.getRuntimeService().startProcessInstanceByKey(RECOVERY,
                estate.primary, Map.of("database", estate.primary, "failover", estate.failover,
                        "failures", "three failed runs"))).getId();

        // The primary stops answering: the probe starts the one failover, which completes.
        estate.losePrimary();
        for (int i = 0; i < 3; i++) {
            probe.pass();
        }
        long failoverId = failovers().get(0);
        ProcessInstance failover = instance(jdbc.sql("select process_instance_id from continuity_operation where id = ?")
                .param(failoverId).query(String.class).single());
        jobs().run(failover);
        Decisions.completeAs(engine, "dba", "dba", task(failover).getId(), Map.of("approved", true));
        jobs().run(failover);
        Decisions.completeAs(engine, "dba", "dba", task(failover).getId(), Map.of("acknowledged", true));
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(failover);
        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER).isEnded();

        JsonNode primary = dba.get("/api/databases/" + estate.primary).body();
        assertThat(primary.get("role").asText()).as("the registered pairing stays").isEqualTo("primary");
        assertThat(primary.get("actingRole").asText()).isEqualTo("failed");
        assertThat(primary.get("actingOperationId").asLong()).isEqualTo(failoverId);
        assertThat(primary.get("actingSince").asText()).isNotBlank();
        assertRoles("failed", "primary");

        // Many passes later (45 s of probes and more): still the one failover, and the failed primary
        // is watched for its return with one decision, not one per pass.
        for (int i = 0; i < 20; i++) {
            probe.pass();
        }
        assertThat(failovers()).containsExactly(failoverId);
        assertThat(probeDecisions("probed for its return only")).hasSize(1);
        assertProblem(dba.post("/api/failovers", "{\"database\":\"" + estate.primary
                + "\",\"mode\":\"unplanned\",\"reason\":\"again\"}"), 409, "database");

        // No sync from the dead primary onto the database the consumers now use.
        long syncRuns = syncRuns();
        assertProblem(dba.post("/api/sync/" + estate.primary + "/runs"), 409, "database");
        assertThatThrownBy(() -> sync.runNow(estate.primary)).hasMessageContaining("failed since");
        assertProblem(dba.post("/engine-rest/process-definition/key/" + RECOVERY + "/start",
                "{\"variables\": {\"database\": {\"value\": \"" + estate.primary + "\", \"type\": \"String\"}}}"),
                409, "variables.database");
        Decisions.completeAs(engine, "dba", "dba", recoveryApproval(recovery).getId(), Map.of("approved", true));
        longSteps.runDue();
        assertThat(engine.getExternalTaskService().createExternalTaskQuery().processInstanceId(recovery).singleResult()
                .getErrorMessage())
                .contains("Full resync of '" + estate.primary + "' refused")
                .contains("failed since");
        assertThat(syncRuns()).as("nothing copied").isEqualTo(syncRuns);
        engine.getRuntimeService().deleteProcessInstance(recovery, "test: refused while failed over");

        // The old primary answers again: a decision and a hint, no action.
        estate.returnPrimary();
        probe.pass();
        probe.pass();
        assertThat(probeDecisions("answers again; start a restoration")).hasSize(1);
        assertThat(failovers()).containsExactly(failoverId);
        assertRoles("failed", "primary");

        // The restoration: restoring while it runs, sync still refused, the roles back after its
        // reinstall of the sync (consumers verified on the primary, failover copied whole).
        // A scheduled pair, as in production: a quick repair goes straight back.
        dev.sco.orchestrator.SyncTriggers.scheduleFarAhead(scheduler, estate.primary);
        Api.Response requested = dba.post("/api/restorations", "{\"database\":\"" + estate.primary
                + "\",\"reason\":\"primary repaired\",\"instance\":\"" + instance + "\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        ProcessInstance restoration = instance(requested.body().get("processInstanceId").asText());
        assertRoles("restoring", "primary");
        assertProblem(dba.post("/api/sync/" + estate.primary + "/runs"), 409, "database");
        for (int i = 0; i < 5; i++) {
            probe.pass();
        }
        assertThat(failovers()).containsExactly(failoverId);
        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("repairNote", "disk replaced"));
        jobs().runUntil(restoration, DatabaseRestorationProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(restoration);
        assertThat(restoration).isWaitingAt(DatabaseRestorationProcess.TEST_AND_VERIFY);
        assertRoles("primary", "standby");
        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("verified", true));
        assertThat(restoration).hasPassed(DatabaseRestorationProcess.END_RESTORED).isEnded();

        List<String> history = dba.get("/api/databases/" + estate.primary + "/roles").body().findValuesAsText("actingRole");
        assertThat(history).containsExactly("primary", "failed", "restoring", "primary");
        assertThat(dba.get("/api/databases/" + estate.failover + "/roles").body().findValuesAsText("actingRole"))
                .containsExactly("standby", "primary", "standby");
        JsonNode report = dba.get("/api/reports/continuity?limit=1000").body();
        for (JsonNode line : report) {
            if (line.get("id").asLong() == failoverId) {
                assertThat(line.get("databaseActingRole").asText()).isEqualTo("primary");
                assertThat(line.get("failoverDatabaseActingRole").asText()).isEqualTo("standby");
            }
        }

        // Sync runs acting -> standby again: a row written on the primary reaches the failover database.
        estate.onPrimary("insert into monitored.alert (computer_id, rule_id, severity, state, raised_at) "
                + "select computer_id, rule_id, 3, 'new', now() from monitored.alert limit 1");
        long maxOnPrimary = estate.count(true, "select max(id) from monitored.alert");
        assertThat(estate.count(false, "select count(*) from monitored.alert where id = " + maxOnPrimary)).isZero();
        sync.runNow(estate.primary);
        assertThat(estate.count(false, "select count(*) from monitored.alert where id = " + maxOnPrimary)).isEqualTo(1);
        assertThat(dba.post("/api/sync/" + estate.primary + "/runs").status()).isEqualTo(202);

        // And the probe counts the primary's failures toward a failover again.
        int counted = probeDecisions("unreachable (1 of").size();
        estate.losePrimary();
        probe.pass();
        assertThat(probeDecisions("unreachable (1 of")).hasSize(counted + 1);
    }

    private void assertRoles(String primary, String failover) {
        assertThat(jdbc.sql("select acting_role from database_endpoint where name = ?").param(estate.primary)
                .query(String.class).single()).as("acting role of the registered primary").isEqualTo(primary);
        assertThat(jdbc.sql("select acting_role from database_endpoint where name = ?").param(estate.failover)
                .query(String.class).single()).as("acting role of the registered failover").isEqualTo(failover);
    }

    private List<Long> failovers() {
        return jdbc.sql("select id from continuity_operation where database = ? and kind = 'failover' order by id")
                .param(estate.primary).query(Long.class).list();
    }

    private List<SensorDecision> probeDecisions(String containing) {
        return decisions.recent(DatabaseHealthProbe.SENSOR, estate.primary, 500).stream()
                .filter(d -> d.reason().contains(containing)).toList();
    }

    private long syncRuns() {
        return jdbc.sql("select count(*) from sync_run where database = ?").param(estate.primary).query(Long.class)
                .single();
    }

    private Task recoveryApproval(String processInstanceId) {
        return engine.getTaskService().createTaskQuery().processInstanceId(processInstanceId)
                .taskDefinitionKey("UserTask_ApproveResync").singleResult();
    }

    private Task task(ProcessInstance instance) {
        return engine.getTaskService().createTaskQuery().processInstanceId(instance.getId()).singleResult();
    }

    private ProcessInstance instance(String id) {
        return engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(id).singleResult();
    }

    private Api api() {
        return new Api(port);
    }

    private ProcessJobs jobs() {
        return new ProcessJobs(engine, longSteps);
    }
}
