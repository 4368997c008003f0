package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.Decisions;
import dev.sco.orchestrator.platform.longstep.LongStepWorker;
import static dev.sco.orchestrator.Api.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Duration;
import java.util.Map;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.postclone.PostCloneCheckProcess;
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

/** Restoration after a real failover between two PostgreSQL databases. */
@OrchestratorTest
class DatabaseRestorationProcessTest {

    @LocalServerPort
    int port;
    @Autowired
    LongStepWorker longSteps;
    @Autowired
    ProcessEngine engine;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;
    @Autowired
    org.quartz.Scheduler scheduler;

    private FailoverEstate estate;
    private String instance;

    @BeforeEach
    void failOver() throws Exception {
        BpmnAwareTests.init(engine);
        estate = new FailoverEstate(jdbc);
        instance = "inst-" + estate.id;
        jdbc.sql("insert into agent (name, instance, username, status, registration) values (?, ?, 'mid', 'Up', 'manual')")
                .params("mid-" + estate.id, instance).update();
        estate.copyPrimaryToFailover();
        estate.consumersFollowTheirBindings();
        estate.failOver(api(), jobs(), engine);
    }

    @AfterEach
    void cleanUp() {
        clock.reset();
        estate.close();
    }

    @Test
    void lateRepairCopiesTheFailoverDatabaseBackChecksTheCloneAndMakesTheFailoverASyncTargetAgain() throws Exception {
        estate.onFailover("insert into monitored.alert (computer_id, rule_id, severity, state, raised_at) "
                + "select computer_id, rule_id, 2, 'new', now() from monitored.alert limit 5");
        long alertsOnFailover = estate.count(false, "select count(*) from monitored.alert");
        // A partition the failover database got while it was active (its own grooming job), which the
        // primary lacks: the copy back recreates it from the failover database's catalog, no
        // application function involved, and a sub-partitioned one with its own partition key.
        estate.onFailover("create table monitored.event_p20990101 partition of monitored.event "
                + "for values from ('2099-01-01 00:00+00') to ('2099-01-02 00:00+00')");
        estate.onFailover("create table monitored.event_p2100 partition of monitored.event "
                + "for values from ('2100-01-01 00:00+00') to ('2101-01-01 00:00+00') partition by range (event_time)");
        estate.onFailover("create table monitored.event_p2100_h1 partition of monitored.event_p2100 "
                + "for values from ('2100-01-01 00:00+00') to ('2100-07-01 00:00+00')");
        estate.onFailover("insert into monitored.event (computer_id, severity, message, event_time) values "
                + "(1, 2, 'far future', '2099-01-01 12:00+00'), (1, 2, 'further', '2100-06-01 12:00+00')");

        Api.Response requested = api().as(Api.DBA).post("/api/restorations", "{\"database\":\"" + estate.primary
                + "\",\"reason\":\"primary repaired\",\"ticket\":\"CHG-9\",\"instance\":\"" + instance + "\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        ProcessInstance restoration = instance(requested.body().get("processInstanceId").asText());
        assertThat(restoration).isWaitingAt(DatabaseRestorationProcess.REPAIR_PRIMARY);
        clock.advance(Duration.ofDays(1));
        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("repairNote", "disk replaced"));
        assertThat(engine.getRuntimeService().getVariable(restoration.getId(),
                DatabaseRestorationProcess.VAR_REPAIRED_IN_TIME)).isEqualTo(false);

        jobs().runUntil(restoration, DatabaseRestorationProcess.VERIFY);
        assertThat(estate.count(true, "select count(*) from monitored.alert")).isEqualTo(alertsOnFailover);
        assertThat(estate.count(true, "select count(*) from monitored.event where event_time >= '2099-01-01'"))
                .isEqualTo(2);
        assertThat(estate.count(true, "select count(*) from pg_inherits "
                + "where inhparent = 'monitored.event_p2100'::regclass")).isEqualTo(1);
        // Both databases were backed up first, onto the pair's backup database (neither of its own
        // servers' databases), each into a schema named after the operation, and recorded.
        long restorationId = jdbc.sql("select id from continuity_operation where database = ? and kind = 'restoration'")
                .param(estate.primary).query(Long.class).single();
        var backups = jdbc.sql("select database, location_schema, total_rows from backup where operation_id = ? "
                        + "and state = 'completed' order by database")
                .param(restorationId).query().listOfRows();
        assertThat(backups).extracting(b -> b.get("database")).containsExactly(estate.failover, estate.primary);
        for (var backup : backups) {
            assertThat((String) backup.get("location_schema")).startsWith("sco_backup_op" + restorationId + "_b");
            assertThat(estate.backupJdbc().sql("select count(*) from " + backup.get("location_schema") + ".alert")
                    .query(Long.class).single()).isEqualTo(backup.get("database").equals(estate.failover)
                    ? alertsOnFailover : estate.count(false, "select count(*) from monitored.alert") - 5);
        }
        assertThat(estate.count(false, "select count(*) from information_schema.schemata "
                + "where schema_name like 'sco_backup%'")).isZero();
        ProcessInstance postClone = engine.getRuntimeService().createProcessInstanceQuery()
                .superProcessInstanceId(restoration.getId()).singleResult();
        assertThat(postClone.getProcessDefinitionId()).startsWith(PostCloneCheckProcess.KEY);
        assertThat(estate.boundTo(estate.consumers.get(0))).isEqualTo(estate.primary);
        assertThat(estate.jobEnabled(estate.primary, "nightly-maintenance")).isTrue();
        assertThat(estate.jobEnabled(estate.failover, "nightly-maintenance")).isFalse();
        estate.consumersFollowTheirBindings();
        jobs().run(restoration);

        assertThat(restoration).isWaitingAt(DatabaseRestorationProcess.TEST_AND_VERIFY);
        assertThat(estate.count(false, "select count(*) from pg_indexes where schemaname = 'monitored' "
                + "and indexdef like 'CREATE UNIQUE%'")).isZero();
        estate.writeOnPrimary();
        engine.getTaskService().complete(task(restoration).getId(), Map.of("verified", true));
        assertThat(restoration).hasPassed(DatabaseRestorationProcess.COPY_BACK, DatabaseRestorationProcess.END_RESTORED);
        assertThat(jdbc.sql("select state from continuity_operation where database = ? and kind = 'failover'")
                .param(estate.primary).query(String.class).single()).isEqualTo("restored");
        // The KPI counts the pair's KPI table (alert, registered with the sample's sync tables).
        assertThat(jdbc.sql("select alerts_on_failover from continuity_operation where database = ? and kind = 'failover'")
                .param(estate.primary).query(Long.class).single()).isEqualTo(5);
        // ... and per day, frozen with it for the KPI report.
        assertThat(jdbc.sql("select sum(handled) from operation_kpi_day k join continuity_operation o "
                        + "on o.id = k.operation_id where o.database = ? and o.kind = 'failover'")
                .param(estate.primary).query(Long.class).single()).isEqualTo(5);
    }

    @Test
    void quickRepairRepointsStraightBackAndResynchronisesTheFailoverDatabase() throws Exception {
        dev.sco.orchestrator.SyncTriggers.scheduleFarAhead(scheduler, estate.primary);
        Api.Response requested = api().as(Api.DBA).post("/api/restorations", "{\"database\":\"" + estate.primary
                + "\",\"reason\":\"quick fix\",\"instance\":\"" + instance + "\"}");
        ProcessInstance restoration = instance(requested.body().get("processInstanceId").asText());

        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("repairNote", "restarted the service"));
        jobs().runUntil(restoration, DatabaseRestorationProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(restoration);

        assertThat(restoration).hasPassed(DatabaseRestorationProcess.UNFENCE_PRIMARY, DatabaseRestorationProcess.REINSTALL_SYNC)
                .hasNotPassed(DatabaseRestorationProcess.COPY_BACK, DatabaseRestorationProcess.POST_CLONE_CHECK)
                .isWaitingAt(DatabaseRestorationProcess.TEST_AND_VERIFY);
        assertThat(estate.boundTo(estate.consumers.get(1))).isEqualTo(estate.primary);
        assertThat(estate.count(false, "select count(*) from monitored.alert"))
                .isEqualTo(estate.count(true, "select count(*) from monitored.alert"));
        estate.writeOnPrimary();
    }

    /**
     * A pair without a sync schedule (no trigger: the schedule is off, or the pair was never
     * scheduled) has no "next sync": however quick the repair, nothing says the failover database
     * holds only what the primary has, so the restoration copies back.
     */
    @Test
    void aPairWithoutAScheduleIsAlwaysCopiedBackHoweverQuickTheRepair() throws Exception {
        Api.Response requested = api().as(Api.DBA).post("/api/restorations", "{\"database\":\"" + estate.primary
                + "\",\"reason\":\"quick fix\",\"instance\":\"" + instance + "\"}");
        ProcessInstance restoration = instance(requested.body().get("processInstanceId").asText());
        assertThat((String) engine.getRuntimeService().getVariable(restoration.getId(),
                DatabaseRestorationProcess.VAR_NEXT_SYNC_AT)).startsWith("never");

        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("repairNote", "restarted the service"));

        assertThat(engine.getRuntimeService().getVariable(restoration.getId(),
                DatabaseRestorationProcess.VAR_REPAIRED_IN_TIME)).isEqualTo(false);
    }

    /**
     * The backup database was removed after the restoration was accepted: the backup step fails,
     * naming how to register one, and the copy back never runs over the primary without a backup.
     */
    @Test
    void withoutABackupDatabaseTheCopyBackNeverRuns() throws Exception {
        estate.onFailover("insert into monitored.alert (computer_id, rule_id, severity, state, raised_at) "
                + "select computer_id, rule_id, 2, 'new', now() from monitored.alert limit 3");
        long onPrimary = estate.count(true, "select count(*) from monitored.alert");
        Api.Response requested = api().as(Api.DBA).post("/api/restorations", "{\"database\":\"" + estate.primary
                + "\",\"reason\":\"primary repaired\",\"instance\":\"" + instance + "\"}");
        ProcessInstance restoration = instance(requested.body().get("processInstanceId").asText());
        jdbc.sql("delete from backup_target where database = ?").param(estate.primary).update();
        clock.advance(Duration.ofDays(1));
        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("repairNote", "disk replaced"));

        jobs().run(restoration);

        assertThat(restoration).isWaitingAt(DatabaseRestorationProcess.BACKUP)
                .hasNotPassed(DatabaseRestorationProcess.COPY_BACK);
        var backupTask = engine.getExternalTaskService().createExternalTaskQuery()
                .processInstanceId(restoration.getId()).singleResult();
        assertThat(backupTask.getErrorMessage()).contains("No backup database is registered");
        assertThat(estate.count(true, "select count(*) from monitored.alert")).isEqualTo(onPrimary);
        engine.getRuntimeService().deleteProcessInstance(restoration.getId(), "test over");
    }

    /**
     * A pair whose consumers have no agents registered here: the restoration is started as the
     * Tasklist start form starts it (engine REST, the optional instance left empty), copies back and
     * runs no post-clone check, which would have nothing to look at.
     */
    @Test
    void withoutAnInstanceTheCopyBackRunsAndNoPostCloneCheckStarts() throws Exception {
        estate.onFailover("insert into monitored.alert (computer_id, rule_id, severity, state, raised_at) "
                + "select computer_id, rule_id, 2, 'new', now() from monitored.alert limit 4");
        long alertsOnFailover = estate.count(false, "select count(*) from monitored.alert");
        Api.Response started = api().as(Api.DBA).post(
                "/engine-rest/process-definition/key/" + DatabaseRestorationProcess.KEY + "/start", """
                        {"variables": {"database": {"value": "%s", "type": "String"},
                                       "reason": {"value": "primary repaired", "type": "String"},
                                       "ticket": {"value": "", "type": "String"},
                                       "instance": {"value": "", "type": "String"}}}""".formatted(estate.primary));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        ProcessInstance restoration = instance(started.body().get("id").asText());
        assertThat(restoration).isWaitingAt(DatabaseRestorationProcess.REPAIR_PRIMARY);
        assertThat(jdbc.sql("select instance is null from continuity_operation where process_instance_id = ?")
                .param(restoration.getId()).query(Boolean.class).single()).isTrue();
        clock.advance(Duration.ofDays(1));
        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("repairNote", "disk replaced"));

        jobs().runUntil(restoration, DatabaseRestorationProcess.VERIFY);

        assertThat(restoration).hasPassed(DatabaseRestorationProcess.COPY_BACK, "EndEvent_NoPostCloneCheck");
        assertThat(estate.count(true, "select count(*) from monitored.alert")).isEqualTo(alertsOnFailover);
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().superProcessInstanceId(restoration.getId())
                .count()).isZero();
        assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery()
                .superProcessInstanceId(restoration.getId()).count()).isZero();
        engine.getRuntimeService().deleteProcessInstance(restoration.getId(), "test over");
    }

    @Test
    void restorationWithoutAnActiveFailoverIsRefused() {
        Api dba = api().as(Api.DBA);
        String body = "{\"database\":\"" + estate.primary + "\",\"reason\":\"again\",\"instance\":\"" + instance + "\"}";
        assertThat(dba.post("/api/restorations", body).status()).isEqualTo(201);

        assertProblem(dba.post("/api/restorations", body), 409, "database");
        assertProblem(dba.post("/api/restorations", "{\"database\":\"nowhere\",\"reason\":\"x\",\"instance\":\""
                + instance + "\"}"), 404, "database");
        assertProblem(dba.post("/api/restorations", "{\"database\":\"" + estate.primary
                + "\",\"reason\":\"x\",\"instance\":\"no-instance\"}"), 404, "instance");
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
