package dev.sco.orchestrator.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.Decisions;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.continuity.SyncControl;
import dev.sco.orchestrator.platform.longstep.LongStepWorker;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Sync, a drill, a planned failover, an unplanned failover and a restoration on a schema this
 * project did not write ({@link ShopSchema}: schema shop, uuid and composite keys, timestamps
 * without time zone, growing bigint increment columns, a table with no increment column, foreign
 * keys, a unique constraint, an insert trigger, no partitions), its tables registered through the API.
 */
@OrchestratorTest
class SecondSchemaTest {

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SyncControl sync;
    @Autowired
    LongStepWorker longSteps;
    @Autowired
    MutableClock clock;
    @Autowired
    FailoverService failovers;

    private FailoverEstate estate;

    @BeforeEach
    void setUp() throws Exception {
        BpmnAwareTests.init(engine);
        // Sync runs are refused inside the nightly maintenance window (00:00 for 60 min, server zone).
        ZonedDateTime now = clock.instant().atZone(ZoneId.systemDefault());
        if (now.getHour() == 0) {
            clock.advance(Duration.ofMinutes(61L - now.getMinute()));
        }
        estate = new FailoverEstate(jdbc, false, ShopSchema.INSTANCE, false);
        Api.Response registered = api().as(Api.DBA).put("/api/sync/" + estate.primary + "/tables",
                ShopSchema.TABLES_JSON);
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        estate.consumersFollowTheirBindings();
    }

    @AfterEach
    void cleanUp() {
        engine.getRuntimeService().createProcessInstanceQuery().variableValueEquals(
                DatabaseFailoverProcess.VAR_DATABASE, estate.primary).list()
                .forEach(pi -> engine.getRuntimeService().deleteProcessInstance(pi.getId(), "test over"));
        clock.reset();
        estate.close();
    }

    @Test
    void syncCopiesEveryKindOfTableAndCatchesUpWithNewRows() {
        sync.runNow(estate.primary);
        assertThat(estate.contents(false)).isEqualTo(estate.contents(true));
        assertThat(estate.count(false, "select count(*) from shop.order_line")).isEqualTo(60);

        ShopSchema.write(estate.primaryJdbc(), "second", 5);
        estate.onPrimary("update shop.currency set name = 'Japanese yen' where code = 'JPY'");
        sync.runNow(estate.primary);

        assertThat(estate.contents(false)).isEqualTo(estate.contents(true));
        assertThat(estate.count(false, "select count(*) from shop.order_line")).isEqualTo(90);
        // The insert trigger is off on the sync target: the copied totals are not counted twice.
        assertThat(estate.text(false, "select sum(line_count)::text from shop.purchase_order")).isEqualTo("90");
        Api.Response runs = api().get("/api/sync/" + estate.primary + "/runs?limit=1");
        assertThat(runs.body().get("runs").get(0).get("tasks").get(2).get("valueUpTo").asLong())
                .isEqualTo(estate.count(true, "select max(id) from shop.purchase_order"));
    }

    @Test
    void drillPassesItsPreFlightOnTheSecondSchema() {
        sync.runNow(estate.primary);
        ProcessInstance drill = request("drill");
        jobs().run(drill);
        String preFlight = (String) engine.getRuntimeService().getVariable(drill.getId(),
                DatabaseFailoverProcess.VAR_PRE_FLIGHT);
        assertThat(preFlight).contains("remove-orphans", "restore-unique-indexes", "rolled back")
                .doesNotContain("FAILED");
        Decisions.completeAs(engine, "dba", "dba", task(drill).getId(), Map.of("approved", true));

        jobs().run(drill);

        assertThat(drill).hasPassed(DatabaseFailoverProcess.DRILL_CHECKS, DatabaseFailoverProcess.END_DRILL).isEnded();
        assertThat(estate.count(false, "select count(*) from pg_constraint c join pg_namespace n "
                + "on n.oid = c.connamespace where n.nspname = 'shop' and c.contype in ('p', 'u', 'f')")).isZero();
    }

    @Test
    void plannedFailoverLosesNothingAndPutsKeysConstraintsTriggersAndSequencesBack() throws Exception {
        sync.runNow(estate.primary);
        ShopSchema.write(estate.primaryJdbc(), "late", 4);
        long constraints = estate.count(true, constraints());

        ProcessInstance failover = request("planned");
        jobs().run(failover);
        Decisions.completeAs(engine, "dba", "dba", task(failover).getId(), Map.of("approved", true));
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(failover);

        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER).isEnded();
        assertThat(estate.contents(false)).isEqualTo(estate.contents(true));
        assertThat(estate.count(false, constraints())).isEqualTo(constraints).isEqualTo(9);
        assertThat(estate.count(false, "select count(*) from pg_trigger where tgrelid = 'shop.order_line'::regclass "
                + "and not tgisinternal and tgenabled <> 'D'")).isEqualTo(1);
        ShopSchema.write(estate.failoverJdbc(), "after", 2);
        assertThat(estate.count(false, "select count(*) from shop.order_line")).isEqualTo(84 + 12);
        assertThatThrownBy(() -> estate.onFailover("insert into shop.customer (email, home_currency) "
                + "select email, home_currency from shop.customer limit 1"))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("customer_email_key");
        assertThatThrownBy(() -> estate.onFailover("insert into shop.order_line (order_id, line_no, sku, quantity, "
                + "price) values (-1, 1, 'x', 1, 1)"))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("order_line_order_id_fkey");
    }

    @Test
    void unplannedFailoverThenRestorationCopiesTheSecondSchemaBack() throws Exception {
        String instance = "inst-" + estate.id;
        jdbc.sql("insert into agent (name, instance, username, status, registration) values (?, ?, 'mid', 'Up', 'manual')")
                .params("mid-" + estate.id, instance).update();
        sync.runNow(estate.primary);
        ProcessInstance failover = request("unplanned");
        jobs().run(failover);
        Decisions.completeAs(engine, "dba", "dba", task(failover).getId(), Map.of("approved", true));
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(failover);
        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER);
        // While failed over, what the pair holds may not change (restoration copies those tables back).
        Api.Response refused = api().as(Api.DBA).put("/api/sync/" + estate.primary + "/tables", ShopSchema.TABLES_JSON);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.text("detail")).contains("is failed since");
        // The application works on the failover database while the primary is repaired.
        ShopSchema.write(estate.failoverJdbc(), "while-failed-over", 3);
        estate.onFailover("update shop.currency set minor_units = 3 where code = 'JPY'");

        Api.Response requested = new Api(port).as(Api.DBA).post("/api/restorations", "{\"database\":\""
                + estate.primary + "\",\"reason\":\"primary repaired\",\"instance\":\"" + instance + "\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        ProcessInstance restoration = engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(requested.body().get("processInstanceId").asText()).singleResult();
        clock.advance(Duration.ofDays(1));
        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("repairNote", "disk replaced"));
        jobs().runUntil(restoration, DatabaseRestorationProcess.VERIFY);

        assertThat(estate.contents(true)).isEqualTo(estate.contents(false));
        assertThat(estate.text(true, "select sum(line_count)::text from shop.purchase_order")).isEqualTo("78");
        estate.consumersFollowTheirBindings();
        jobs().run(restoration);
        assertThat(restoration).hasPassed(DatabaseRestorationProcess.COPY_BACK, DatabaseRestorationProcess.REINSTALL_SYNC)
                .isWaitingAt(DatabaseRestorationProcess.TEST_AND_VERIFY);
        engine.getTaskService().complete(task(restoration).getId(), Map.of("verified", true));
        assertThat(restoration).hasPassed(DatabaseRestorationProcess.END_RESTORED);

        // The failover database is a sync target of the shop schema again, the primary takes new
        // rows (its sequences moved past the copied ids) and sync goes on.
        assertThat(estate.count(false, constraints())).isZero();
        ShopSchema.write(estate.primaryJdbc(), "after-restoration", 2);
        sync.runNow(estate.primary);
        assertThat(estate.contents(false)).isEqualTo(estate.contents(true));
    }

    private static String constraints() {
        return "select count(*) from pg_constraint c join pg_namespace n on n.oid = c.connamespace "
                + "where n.nspname = 'shop' and c.contype in ('p', 'u', 'f')";
    }

    private ProcessInstance request(String mode) {
        Api.Response requested = api().post("/api/failovers", "{\"database\":\"" + estate.primary + "\",\"mode\":\""
                + mode + "\",\"reason\":\"second schema\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        return engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(requested.body().get("processInstanceId").asText()).singleResult();
    }

    private Task task(ProcessInstance instance) {
        return engine.getTaskService().createTaskQuery().processInstanceId(instance.getId()).singleResult();
    }

    private Api api() {
        return new Api(port);
    }

    private ProcessJobs jobs() {
        return new ProcessJobs(engine, longSteps);
    }
}
