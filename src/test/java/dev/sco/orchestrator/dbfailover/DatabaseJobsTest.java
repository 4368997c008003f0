package dev.sco.orchestrator.dbfailover;

import static dev.sco.orchestrator.Api.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.Decisions;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.longstep.LongStepWorker;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
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
 * Database jobs registered through the API, with statements that switch them on the databases
 * themselves: a failover disables the maintenance jobs on the old primary and enables them on the
 * failover database (the application's own scheduler table flips there), a restoration switches
 * them back, every statement's result is recorded; a dead old primary is recorded and not fatal, a
 * failed enable fails the step and its retry runs only what had not succeeded.
 */
@OrchestratorTest
class DatabaseJobsTest {

    private static final String GROOMING = "grooming-and-partitioning";

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DatabaseHealthProbe probe;
    @Autowired
    MutableClock clock;

    private final List<FailoverEstate> estates = new ArrayList<>();

    @BeforeEach
    void init() {
        BpmnAwareTests.init(engine);
    }

    @AfterEach
    void cleanUp() {
        clock.reset();
        for (FailoverEstate estate : estates) {
            for (String key : List.of(DatabaseFailoverProcess.KEY, DatabaseRestorationProcess.KEY)) {
                engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(key)
                        .variableValueEquals(DatabaseFailoverProcess.VAR_DATABASE, estate.primary).list()
                        .forEach(pi -> engine.getRuntimeService().deleteProcessInstance(pi.getId(), "test over"));
            }
            estate.close();
        }
    }

    @Test
    void registrationIsValidatedNamingTheFieldAndOnlyDbasMayChangeIt() throws Exception {
        FailoverEstate estate = estate(EstateSchema.SAMPLE);
        Api dba = api().as(Api.DBA);
        String path = "/api/databases/" + estate.primary + "/jobs";
        String valid = jobs(job("index-maintenance", "update monitored.scheduled_job set enabled = true "
                + "where name = 'index-maintenance';", "update monitored.scheduled_job set enabled = false "
                + "where name = 'index-maintenance'"), grooming("0 2 * * *", "Europe/Paris", "90m"));

        assertProblem(api().as(Api.OPERATOR).put(path, valid), 403, null);
        assertProblem(api().as(Api.MID_ADMIN).put(path, valid), 403, null);
        assertProblem(dba.put("/api/databases/no-such-db/jobs", valid), 404, "name");
        assertProblem(dba.put(path, "{}"), 400, "jobs");
        assertProblem(dba.put(path, jobs(job("bad name!", "select 1", "select 2"))), 400, "jobs[0].name");
        assertProblem(dba.put(path, jobs(job("a", "select 1", "select 2"), job("a", "select 1", "select 2"))), 400,
                "jobs[1].name");
        assertProblem(dba.put(path, jobs(job("a", "update t set x = 1; update u set y = 2", "select 2"))), 400,
                "jobs[0].enableSql");
        assertProblem(dba.put(path, jobs(job("a", "select 1", null))), 400, "jobs[0].disableSql");
        assertProblem(dba.put(path, jobs(job("a", "select 1", "   "))), 400, "jobs[0].disableSql");
        assertProblem(dba.put(path, jobs(job("a", "begin", "select 2"))), 400, "jobs[0].enableSql");
        assertProblem(dba.put(path, jobs(job("a", "set statement_timeout = 0", "select 2"))), 400, "jobs[0].enableSql");
        assertProblem(dba.put(path, jobs(job("a", "select 'unterminated", "select 2"))), 400, "jobs[0].enableSql");
        assertProblem(dba.put(path, jobs(job("a", "select '" + "x".repeat(4001) + "'", "select 2"))), 400,
                "jobs[0].enableSql");
        assertProblem(dba.put(path, jobs("{\"name\": \"a\", \"enableSql\": \"select 1\", \"disableSql\": \"select 2\", "
                + "\"schedule\": \"0 2 * * *\"}")), 400, "jobs[0].schedule");
        assertProblem(dba.put(path, jobs(grooming("0 2 * *", null, "1h"))), 400, "jobs[0].schedule");
        assertProblem(dba.put(path, jobs(grooming("0 25 * * *", null, "1h"))), 400, "jobs[0].schedule");
        assertProblem(dba.put(path, jobs(grooming("0 2 * * *", null, null))), 400, "jobs[0].expectedDuration");
        assertProblem(dba.put(path, jobs(grooming("0 2 * * *", null, "30s"))), 400, "jobs[0].expectedDuration");
        assertProblem(dba.put(path, jobs(grooming("0 2 * * *", "Mars/Olympus", "1h"))), 400, "jobs[0].scheduleZone");
        assertProblem(dba.put(path, jobs(grooming("0 2 * * *", null, "1h"),
                grooming("0 3 * * *", null, "1h").replace(GROOMING, "second"))), 400, "jobs[1].schedule");
        assertThat(dba.get(path).body().get("jobs").findValuesAsText("name")).as("nothing half-written")
                .containsExactly("grooming", "nightly-maintenance");

        Api.Response stored = dba.put(path, valid);
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
        JsonNode read = api().get(path).body().get("jobs");
        assertThat(read).hasSize(2);
        assertThat(read.get(0).get("name").asText()).isEqualTo("index-maintenance");
        assertThat(read.get(0).get("kind").asText()).isEqualTo("maintenance");
        assertThat(read.get(0).get("enableSql").asText()).as("one statement, its ';' dropped")
                .isEqualTo("update monitored.scheduled_job set enabled = true where name = 'index-maintenance'");
        assertThat(read.get(1).get("kind").asText()).isEqualTo("grooming");
        assertThat(read.get(1).get("schedule").asText()).isEqualTo("0 2 * * *");
        assertThat(read.get(1).get("scheduleZone").asText()).isEqualTo("Europe/Paris");
        assertThat(read.get(1).get("expectedDuration").asText()).isEqualTo("PT1H30M");
        assertThat(read.get(1).get("updatedBy").asText()).isEqualTo("dba");

        // A refused replacement leaves the stored list as it was.
        assertProblem(dba.put(path, jobs(job("a", "select 1; select 2", "select 2"))), 400, "jobs[0].enableSql");
        assertThat(api().get(path).body().get("jobs")).hasSize(2);
    }

    @Test
    void failoverAndRestorationRunTheStatementsOnBothDatabasesAndRecordEachResult() throws Exception {
        FailoverEstate estate = estate(EstateSchema.SAMPLE);
        String instance = "inst-" + estate.id;
        jdbc.sql("insert into agent (name, instance, username, status, registration) values (?, ?, 'mid', 'Up', 'manual')")
                .params("mid-" + estate.id, instance).update();
        estate.onFailover("update monitored.scheduled_job set enabled = (name = '" + GROOMING + "')");
        registerSampleJobs(estate.primary);
        registerSampleJobs(estate.failover);
        estate.copyPrimaryToFailover();

        ProcessInstance failover = requestFailover(estate);
        jobs().run(failover);
        Decisions.completeAs(engine, "dba", "dba", task(failover).getId(), Map.of("approved", true));
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);

        assertThat(enabledJobs(estate, true)).as("maintenance off on the fenced old primary, grooming kept")
                .isEqualTo(GROOMING);
        assertThat(enabledJobs(estate, false)).isEqualTo("alert-resolution-sweep," + GROOMING + ",index-maintenance");
        long failoverId = operationId(failover);
        JsonNode results = api().get("/api/failovers/" + failoverId + "/jobs").body();
        assertThat(lines(results)).containsExactly(
                estate.primary + " index-maintenance disable ok",
                estate.primary + " alert-resolution-sweep disable ok",
                estate.failover + " index-maintenance enable ok",
                estate.failover + " alert-resolution-sweep enable ok",
                estate.failover + " " + GROOMING + " enable ok");
        assertThat(results.get(0).get("detail").asText()).isEqualTo("1 rows changed");
        assertThat(results.get(0).get("at").asText()).isNotBlank();
        JsonNode onFailover = api().get("/api/databases/" + estate.failover + "/jobs").body().get("jobs");
        assertThat(onFailover.findValues("enabled")).allMatch(JsonNode::asBoolean);
        JsonNode onPrimary = api().get("/api/databases/" + estate.primary + "/jobs").body().get("jobs");
        assertThat(onPrimary.get(0).get("enabled").asBoolean()).isFalse();
        assertThat(onPrimary.get(2).hasNonNull("enabled")).as("grooming never switched on the old side").isFalse();
        estate.consumersFollowTheirBindings();
        jobs().run(failover);
        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER).isEnded();

        // The restoration switches them back: off on the failover database, on again on the primary.
        Api.Response requested = api().as(Api.DBA).post("/api/restorations", "{\"database\":\"" + estate.primary
                + "\",\"reason\":\"primary repaired\",\"instance\":\"" + instance + "\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        ProcessInstance restoration = instance(requested.body().get("processInstanceId").asText());
        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("repairNote", "disk replaced"));
        jobs().runUntil(restoration, DatabaseRestorationProcess.VERIFY);
        assertThat(restoration).hasPassed(DatabaseRestorationProcess.SWITCH_JOBS);

        assertThat(enabledJobs(estate, true)).isEqualTo("alert-resolution-sweep," + GROOMING + ",index-maintenance");
        assertThat(enabledJobs(estate, false)).isEqualTo(GROOMING);
        assertThat(lines(api().get("/api/failovers/" + operationId(restoration) + "/jobs").body())).containsExactly(
                estate.failover + " index-maintenance disable ok",
                estate.failover + " alert-resolution-sweep disable ok",
                estate.primary + " index-maintenance enable ok",
                estate.primary + " alert-resolution-sweep enable ok",
                estate.primary + " " + GROOMING + " enable ok");
    }

    @Test
    void aDeadOldPrimaryIsRecordedNotFatalAndTheJobsAreEnabledOnTheFailoverDatabase() throws Exception {
        FailoverEstate estate = estate(EstateSchema.SAMPLE);
        estate.onFailover("update monitored.scheduled_job set enabled = (name = '" + GROOMING + "')");
        registerSampleJobs(estate.primary);
        registerSampleJobs(estate.failover);

        estate.losePrimary();
        for (int i = 0; i < 3; i++) {
            probe.pass();
        }
        ProcessInstance failover = instance(jdbc.sql("select process_instance_id from continuity_operation "
                + "where database = ? and kind = 'failover'").param(estate.primary).query(String.class).single());
        jobs().run(failover);
        Decisions.completeAs(engine, "dba", "dba", task(failover).getId(), Map.of("approved", true));
        jobs().run(failover);
        assertThat(failover).isWaitingAt(DatabaseFailoverProcess.ACKNOWLEDGE_UNFENCED);
        Decisions.completeAs(engine, "dba", "dba", task(failover).getId(), Map.of("acknowledged", true));
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);

        assertThat(failover).hasPassed(DatabaseFailoverProcess.SWITCH_JOBS);
        JsonNode results = api().get("/api/failovers/" + operationId(failover) + "/jobs").body();
        assertThat(lines(results)).containsExactly(
                estate.primary + " index-maintenance disable error",
                estate.primary + " alert-resolution-sweep disable error",
                estate.failover + " index-maintenance enable ok",
                estate.failover + " alert-resolution-sweep enable ok",
                estate.failover + " " + GROOMING + " enable ok");
        assertThat(results.get(0).get("detail").asText()).contains("unreachable");
        assertThat(enabledJobs(estate, false)).isEqualTo("alert-resolution-sweep," + GROOMING + ",index-maintenance");
        estate.consumersFollowTheirBindings();
        jobs().run(failover);
        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER).isEnded();
    }

    /** On the second sample schema, with a scheduler table the test gives it on both databases. */
    @Test
    void anEnableThatFailsFailsTheStepVisiblyAndItsRetryRunsOnlyWhatHadNotSucceeded() throws Exception {
        FailoverEstate estate = estate(ShopSchema.INSTANCE);
        for (boolean primary : List.of(true, false)) {
            String create = "create table shop.app_job (name text primary key, enabled boolean not null); "
                    + "create table shop.app_job_call (job text not null, called_at timestamptz default now()); "
                    + "insert into shop.app_job values ('billing-run', " + primary + "), ('report-run', " + primary + ")";
            for (String sql : create.split("; ")) {
                if (primary) {
                    estate.onPrimary(sql);
                } else {
                    estate.onFailover(sql);
                }
            }
            Api.Response put = api().as(Api.DBA).put("/api/databases/" + (primary ? estate.primary : estate.failover)
                    + "/jobs", jobs(shopJob("billing-run"), primary ? shopJob("report-run")
                    : job("report-run", "update shop.no_such_table set enabled = true", "select 1")));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
        }

        ProcessInstance failover = requestFailover(estate);
        jobs().run(failover);
        Decisions.completeAs(engine, "dba", "dba", task(failover).getId(), Map.of("approved", true));
        jobs().runUntil(failover, DatabaseFailoverProcess.SWITCH_JOBS);
        ManagementService management = engine.getManagementService();
        Job step = management.createJobQuery().processInstanceId(failover.getId()).singleResult();
        assertThatThrownBy(() -> management.executeJob(step.getId()))
                .hasMessageContaining("could not be enabled on " + estate.failover)
                .hasMessageContaining("report-run");
        assertThat(management.createJobQuery().jobId(step.getId()).singleResult().getRetries())
                .as("the step failed and waits for its retry").isLessThan(3);
        assertThat(engine.getRuntimeService().createExecutionQuery().processInstanceId(failover.getId())
                .activityId(DatabaseFailoverProcess.SWITCH_JOBS).count()).isEqualTo(1);
        long id = operationId(failover);
        assertThat(lines(api().get("/api/failovers/" + id + "/jobs").body())).containsExactly(
                estate.primary + " billing-run disable ok",
                estate.primary + " report-run disable ok",
                estate.failover + " billing-run enable ok",
                estate.failover + " report-run enable error");
        assertThat(estate.text(false, "select string_agg(name || '=' || enabled, ',' order by name) from shop.app_job"))
                .isEqualTo("billing-run=true,report-run=false");

        // The DBA fixes the statement; the retry runs only the enable that had failed.
        Api.Response fixed = api().as(Api.DBA).put("/api/databases/" + estate.failover + "/jobs",
                jobs(shopJob("billing-run"), shopJob("report-run")));
        assertThat(fixed.status()).as(fixed.toString()).isEqualTo(200);
        management.executeJob(step.getId());

        assertThat(failover).hasPassed(DatabaseFailoverProcess.SWITCH_JOBS);
        assertThat(lines(api().get("/api/failovers/" + id + "/jobs").body())).containsExactly(
                estate.primary + " billing-run disable ok",
                estate.primary + " report-run disable ok",
                estate.failover + " billing-run enable ok",
                estate.failover + " report-run enable error",
                estate.failover + " report-run enable ok");
        assertThat(estate.text(false, "select string_agg(job, ',' order by job) from shop.app_job_call"))
                .as("each statement ran once, however often the step was tried").isEqualTo("billing-run,report-run");
        assertThat(estate.text(true, "select string_agg(job, ',' order by job) from shop.app_job_call"))
                .isEqualTo("billing-run,report-run");
        assertThat(estate.text(false, "select string_agg(name || '=' || enabled, ',' order by name) from shop.app_job"))
                .isEqualTo("billing-run=true,report-run=true");
        assertThat(estate.text(true, "select string_agg(name || '=' || enabled, ',' order by name) from shop.app_job"))
                .isEqualTo("billing-run=false,report-run=false");
    }

    private FailoverEstate estate(EstateSchema schema) throws Exception {
        FailoverEstate estate = new FailoverEstate(jdbc, false, schema, true);
        estates.add(estate);
        estate.consumersFollowTheirBindings();
        return estate;
    }

    /** The demo's jobs: the sample schema's own scheduler table is what the statements switch. */
    private void registerSampleJobs(String database) {
        Api.Response put = api().as(Api.DBA).put("/api/databases/" + database + "/jobs", jobs(
                job("index-maintenance", sampleSwitch("index-maintenance", true), sampleSwitch("index-maintenance", false)),
                job("alert-resolution-sweep", sampleSwitch("alert-resolution-sweep", true),
                        sampleSwitch("alert-resolution-sweep", false)),
                "{\"name\": \"" + GROOMING + "\", \"grooming\": true, \"enableSql\": \"" + sampleSwitch(GROOMING, true)
                        + "\"}"));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
    }

    private static String sampleSwitch(String job, boolean enabled) {
        return "update monitored.scheduled_job set enabled = " + enabled + ", changed_at = now() where name = '" + job
                + "'";
    }

    /** A statement that flips the job in the shop's scheduler table and counts the call. */
    private static String shopJob(String name) {
        return job(name, shopSwitch(name, true), shopSwitch(name, false));
    }

    private static String shopSwitch(String name, boolean enabled) {
        return "with u as (update shop.app_job set enabled = " + enabled + " where name = '" + name
                + "' returning name) insert into shop.app_job_call (job) select name from u";
    }

    private static String job(String name, String enableSql, String disableSql) {
        return "{\"name\": " + Api.json(name) + ", \"enableSql\": " + Api.json(enableSql) + ", \"disableSql\": "
                + Api.json(disableSql) + "}";
    }

    private static String grooming(String schedule, String zone, String duration) {
        return "{\"name\": \"" + GROOMING + "\", \"grooming\": true, \"schedule\": " + Api.json(schedule)
                + ", \"scheduleZone\": " + Api.json(zone) + ", \"expectedDuration\": " + Api.json(duration) + "}";
    }

    private static String jobs(String... jobs) {
        return "{\"jobs\": [" + String.join(", ", jobs) + "]}";
    }

    private static List<String> lines(JsonNode results) {
        List<String> lines = new ArrayList<>();
        results.forEach(r -> lines.add(r.get("database").asText() + " " + r.get("job").asText() + " "
                + r.get("action").asText() + " " + r.get("outcome").asText()));
        return lines;
    }

    private static String enabledJobs(FailoverEstate estate, boolean onPrimary) {
        return estate.text(onPrimary, "select coalesce(string_agg(name, ',' order by name), '') "
                + "from monitored.scheduled_job where enabled");
    }

    private ProcessInstance requestFailover(FailoverEstate estate) {
        Api.Response requested = api().post("/api/failovers", "{\"database\":\"" + estate.primary
                + "\",\"mode\":\"unplanned\",\"reason\":\"jobs test\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        return instance(requested.body().get("processInstanceId").asText());
    }

    private long operationId(ProcessInstance instance) {
        return jdbc.sql("select id from continuity_operation where process_instance_id = ?").param(instance.getId())
                .query(Long.class).single();
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
