package dev.sco.orchestrator.dbfailover;

import static dev.sco.orchestrator.Api.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.sql.SQLException;
import java.util.Map;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
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

/** Database failover on two real PostgreSQL servers with consumers that follow their bindings. */
@OrchestratorTest
class DatabaseFailoverProcessTest {

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DatabaseHealthProbe probe;
    @Autowired
    FailoverService failoverService;
    @Autowired
    dev.sco.orchestrator.MutableClock clock;

    private FailoverEstate estate;

    @BeforeEach
    void startEstate() throws Exception {
        BpmnAwareTests.init(engine);
        estate = new FailoverEstate(jdbc);
        estate.consumersFollowTheirBindings();
    }

    @AfterEach
    void stopEstate() throws Exception {
        engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(DatabaseFailoverProcess.KEY)
                .variableValueEquals(DatabaseFailoverProcess.VAR_DATABASE, estate.primary).list()
                .forEach(pi -> engine.getRuntimeService().deleteProcessInstance(pi.getId(), "test over"));
        estate.close();
    }

    @Test
    void approvedFailoverFencesTheOldPrimaryAndMovesEveryConsumer() throws Exception {
        Api.Response requested = api().post("/api/failovers", request(estate.primary, "unplanned"));
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        ProcessInstance failover = instance(requested.body().get("processInstanceId").asText());

        jobs().run(failover);
        assertThat(failover).isWaitingAt(DatabaseFailoverProcess.APPROVE);
        Task approval = task(failover);
        assertThat(engine.getFormService().getTaskFormData(approval.getId()).getFormFields())
                .extracting("id").contains("dataLossWindow", "lastCheckpoints", "preFlightResult", "mode");
        assertThat((String) engine.getRuntimeService().getVariable(failover.getId(), DatabaseFailoverProcess.VAR_PRE_FLIGHT))
                .contains("remove-orphans", "restore-unique-indexes", "rolled back");
        approveAs(Api.DBA, approval, true);

        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        assertThat(estate.boundTo(estate.consumers.get(0))).isEqualTo(estate.failover);
        assertThatThrownBy(estate::writeOnPrimary).isInstanceOf(SQLException.class).hasMessageContaining("read-only");
        assertThat(estate.jobEnabled(estate.failover, "nightly-maintenance")).isTrue();
        assertThat(estate.jobEnabled(estate.primary, "nightly-maintenance")).isFalse();
        assertThat(estate.jobEnabled(estate.primary, "grooming")).isTrue();
        estate.consumersFollowTheirBindings();
        jobs().run(failover);

        assertThat(failover).hasPassed(DatabaseFailoverProcess.FENCE, DatabaseFailoverProcess.REMOVE_ORPHANS,
                DatabaseFailoverProcess.ADVANCE_SEQUENCES, DatabaseFailoverProcess.VERIFY)
                .hasNotPassed(DatabaseFailoverProcess.ACKNOWLEDGE_UNFENCED)
                .isEnded();
        ContinuityOperation op = operation(requested);
        assertThat(op.state()).isEqualTo(ContinuityOperation.FAILED_OVER);
        assertThat(op.fenced()).isTrue();
        assertThat(op.approvedBy()).isEqualTo("dba");
        assertThat(op.consumersMoved()).containsExactlyInAnyOrderElementsOf(estate.consumers);
        assertThat(op.timeToRepairMs()).isNotNull().isPositive();
        Api.Response report = api().get("/api/reports/continuity");
        assertThat(report.body().findValuesAsText("database")).contains(estate.primary);
        Api.Response repairs = api().get("/actuator/metrics/continuity.time.to.repair");
        assertThat(repairs.status()).isEqualTo(200);
        assertThat(repairs.body().findValue("measurements").get(0).get("value").asDouble()).isPositive();
    }

    @Test
    void declinedFailoverChangesNothing() throws Exception {
        Api.Response requested = api().post("/api/failovers", request(estate.primary, "planned"));
        ProcessInstance failover = instance(requested.body().get("processInstanceId").asText());
        jobs().run(failover);

        approveAs(Api.DBA, task(failover), false);

        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_DECLINED).isEnded();
        assertThat(operation(requested).state()).isEqualTo(ContinuityOperation.DECLINED);
        assertThat(estate.boundTo(estate.consumers.get(0))).isEqualTo(estate.primary);
        estate.writeOnPrimary();
    }

    @Test
    void drillRecordsEvidenceAndChangesNothing() throws Exception {
        Api.Response requested = api().post("/api/failovers", request(estate.primary, "drill"));
        ProcessInstance drill = instance(requested.body().get("processInstanceId").asText());
        jobs().run(drill);
        approveAs(Api.DBA, task(drill), true);

        jobs().run(drill);

        assertThat(drill).hasPassed(DatabaseFailoverProcess.DRILL_CHECKS, DatabaseFailoverProcess.END_DRILL).isEnded();
        ContinuityOperation op = operation(requested);
        assertThat(op.state()).isEqualTo(ContinuityOperation.DRILLED);
        assertThat(op.evidence()).contains("Drill of a failover of " + estate.primary, "requested by demo",
                "No binding, job or database was changed");
        assertThat(estate.boundTo(estate.consumers.get(1))).isEqualTo(estate.primary);
        assertThat(estate.jobEnabled(estate.primary, "nightly-maintenance")).isTrue();
        estate.writeOnPrimary();
    }

    @Test
    void secondRequestForADatabaseFailingOverIsRefusedNamingTheRunningProcess() {
        Api.Response first = api().post("/api/failovers", request(estate.primary, "unplanned"));

        Api.Response second = api().post("/api/failovers", request(estate.primary, "planned"));

        assertProblem(second, 409, "database");
        assertThat(second.text("detail")).contains(first.body().get("processInstanceId").asText());
    }

    @Test
    void consumerThatDoesNotMoveGetsAnOperatorTask() throws Exception {
        Api.Response requested = api().post("/api/failovers", request(estate.primary, "unplanned"));
        ProcessInstance failover = instance(requested.body().get("processInstanceId").asText());
        jobs().run(failover);
        approveAs(Api.DBA, task(failover), true);
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.follow(estate.consumers.get(0));

        jobs().run(failover);

        assertThat(failover).isWaitingAt(DatabaseFailoverProcess.CONSUMERS_NOT_MOVED);
        assertThat((String) engine.getRuntimeService().getVariable(failover.getId(), DatabaseFailoverProcess.VAR_NOT_MOVED))
                .isEqualTo(estate.consumers.get(1));
        estate.follow(estate.consumers.get(1));
        engine.getTaskService().complete(task(failover).getId(), Map.of("note", "restarted ms-b"));
        jobs().run(failover);
        assertThat(failover).hasPassed(DatabaseFailoverProcess.VERIFY_AGAIN, DatabaseFailoverProcess.END_FAILED_OVER)
                .isEnded();
    }

    /**
     * Verification never waits inside a job: a look that misses a consumer ends its job and leaves
     * the process at a poll timer, holding no lock; the round's timeout counts on the
     * application's clock from its first look, and the round after the operators' task starts
     * afresh.
     */
    @Test
    void verificationIsALoopOfShortLooksWithAPollTimerAndATimeoutPerRound() throws Exception {
        Api.Response requested = api().post("/api/failovers", request(estate.primary, "unplanned"));
        ProcessInstance failover = instance(requested.body().get("processInstanceId").asText());
        jobs().run(failover);
        approveAs(Api.DBA, task(failover), true);
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.follow(estate.consumers.get(0));
        ManagementService management = engine.getManagementService();
        try {
            java.time.Instant firstLook = clock.instant();
            look(failover);
            assertThat(failover).isWaitingAt("Timer_ConsumersPoll");
            assertThat(management.createJobQuery().processInstanceId(failover.getId()).list())
                    .as("while it waits for consumers, the process's only job is the poll timer, unlocked")
                    .singleElement().satisfies(job -> {
                        assertThat(((org.camunda.bpm.engine.impl.persistence.entity.JobEntity) job).getLockOwner()).isNull();
                        assertThat(job).isInstanceOf(org.camunda.bpm.engine.impl.persistence.entity.TimerEntity.class);
                    });
            Job poll = management.createJobQuery().processInstanceId(failover.getId()).timers().singleResult();
            assertThat(poll.getDuedate()).isAfter(new java.util.Date(firstLook.toEpochMilli()));
            java.util.Date deadline = (java.util.Date) engine.getRuntimeService()
                    .getVariable(failover.getId(), DatabaseFailoverProcess.VAR_VERIFY_DEADLINE);
            assertThat(deadline.toInstant()).isBetween(firstLook.plusSeconds(3), clock.instant().plusSeconds(3));
            assertThat(operationById(requested.body().get("id").asLong()).verifiedAt()).isNull();

            // Still missing after the timer: another look, another wait, the same deadline.
            management.executeJob(poll.getId());
            look(failover);
            assertThat(failover).isWaitingAt("Timer_ConsumersPoll");
            assertThat(engine.getRuntimeService().getVariable(failover.getId(), DatabaseFailoverProcess.VAR_VERIFY_DEADLINE))
                    .isEqualTo(deadline);

            // The timeout passes on the application clock: the next look is the round's last.
            clock.advance(java.time.Duration.ofSeconds(4));
            management.executeJob(management.createJobQuery().processInstanceId(failover.getId()).timers()
                    .singleResult().getId());
            look(failover);
            assertThat(failover).isWaitingAt(DatabaseFailoverProcess.CONSUMERS_NOT_MOVED);
            assertThat((String) engine.getRuntimeService().getVariable(failover.getId(), DatabaseFailoverProcess.VAR_NOT_MOVED))
                    .isEqualTo(estate.consumers.get(1));
            assertThat(engine.getRuntimeService().getVariable(failover.getId(), DatabaseFailoverProcess.VAR_VERIFY_DEADLINE))
                    .as("the round's deadline goes with its last look").isNull();

            // The second round, after the operators' task, has a timeout of its own.
            engine.getTaskService().complete(task(failover).getId(), Map.of("note", "asked the ms-b team"));
            look(failover);
            assertThat(failover).isWaitingAt("Timer_ConsumersPollAgain");
            estate.follow(estate.consumers.get(1));
            management.executeJob(management.createJobQuery().processInstanceId(failover.getId()).timers()
                    .singleResult().getId());
            look(failover);
            assertThat(failover).hasPassed(DatabaseFailoverProcess.VERIFY_AGAIN, DatabaseFailoverProcess.END_FAILED_OVER)
                    .isEnded();
            assertThat(operationById(requested.body().get("id").asLong()).consumersMoved())
                    .containsExactlyInAnyOrderElementsOf(estate.consumers);
        } finally {
            clock.reset();
        }
    }

    /** Executes the one due job of a look (the asynchronous start of a verification step). */
    private void look(ProcessInstance failover) {
        Job look = engine.getManagementService().createJobQuery().processInstanceId(failover.getId()).executable()
                .singleResult();
        assertThat(look).as("a look is due").isNotNull();
        engine.getManagementService().executeJob(look.getId());
    }

    @Test
    void unreachablePrimaryDetectedByTheProbeIsFailedOverAfterTheDbaAcknowledgesItIsUnfenced() throws Exception {
        estate.losePrimary();
        for (int i = 0; i < 3; i++) {
            probe.pass();
        }
        ContinuityOperation op = operationById(jdbc.sql("select id from continuity_operation where database = ?")
                .param(estate.primary).query(Long.class).single());
        assertThat(op.mode()).isEqualTo("unplanned");
        assertThat(op.requestedBy()).isEqualTo(DatabaseHealthProbe.REQUESTED_BY);
        ProcessInstance failover = instance(op.processInstanceId());
        jobs().run(failover);
        approveAs(Api.DBA, task(failover), true);
        jobs().run(failover);

        assertThat(failover).isWaitingAt(DatabaseFailoverProcess.ACKNOWLEDGE_UNFENCED);
        Api.Response acknowledged = api().as(Api.DBA).post("/engine-rest/task/" + task(failover).getId() + "/submit-form",
                "{\"variables\": {\"acknowledged\": {\"value\": true, \"type\": \"Boolean\"}}}");
        assertThat(acknowledged.status()).as(acknowledged.toString()).isEqualTo(204);
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(failover);
        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER).isEnded();
        assertThat(operationById(op.id()).fenced()).isFalse();
        assertThat(jdbc.sql("select count(*) from sensor_decision where sensor = ? and subject = ? and action = 'started'")
                .params(DatabaseHealthProbe.SENSOR, estate.primary).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void failingScriptBecomesAnIncidentAndRetryingAfterTheFixFinishes() throws Exception {
        Api.Response requested = api().post("/api/failovers", request(estate.primary, "unplanned"));
        ProcessInstance failover = instance(requested.body().get("processInstanceId").asText());
        jobs().run(failover);
        approveAs(Api.DBA, task(failover), true);
        jobs().runUntil(failover, DatabaseFailoverProcess.REMOVE_ORPHANS);
        estate.pointFailoverAt(1);

        ManagementService management = engine.getManagementService();
        Job step = management.createJobQuery().processInstanceId(failover.getId()).singleResult();
        for (int attempt = 0; attempt < 3; attempt++) {
            String id = step.getId();
            assertThatThrownBy(() -> management.executeJob(id)).isNotNull();
        }
        assertThat(management.createJobQuery().processInstanceId(failover.getId()).noRetriesLeft().count()).isEqualTo(1);
        assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(failover.getId()).count())
                .isEqualTo(1);

        estate.pointFailoverAt(estate.failoverPort());
        management.setJobRetries(step.getId(), 1);
        management.executeJob(step.getId());
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(failover);
        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER).isEnded();
    }

    @Test
    void failoverStartedOverTheEngineRestApiRegistersItsOperation() {
        Api.Response started = api().as(Api.DBA).post("/engine-rest/process-definition/key/databaseFailoverProcess/start",
                "{\"variables\": {\"database\": {\"value\": \"" + estate.primary + "\", \"type\": \"String\"},"
                        + " \"mode\": {\"value\": \"drill\", \"type\": \"String\"},"
                        + " \"reason\": {\"value\": \"quarterly drill\", \"type\": \"String\"}}}");
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        ProcessInstance drill = instance(started.text("id"));

        jobs().run(drill);

        assertThat(drill).isWaitingAt(DatabaseFailoverProcess.APPROVE);
        ContinuityOperation op = failoverService.operation(
                ((Number) engine.getRuntimeService().getVariable(drill.getId(), DatabaseFailoverProcess.VAR_OPERATION_ID))
                        .longValue());
        assertThat(op.processInstanceId()).isEqualTo(drill.getId());
        assertThat(op.requestedBy()).as("the authenticated caller, not a variable").isEqualTo("dba");
        assertThat(op.failoverDatabase()).isEqualTo(estate.failover);
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        assertProblem(api().post("/api/failovers", request("no-such-db", "unplanned")), 404, "database");
        assertProblem(api().post("/api/failovers", request(estate.failover, "unplanned")), 400, "database");
        assertProblem(api().post("/api/failovers", request(estate.primary, "sideways")), 400, "mode");
        assertProblem(api().post("/api/failovers", "{\"database\":\"" + estate.primary + "\",\"mode\":\"drill\"}"),
                400, "reason");
        assertProblem(api().as(Api.MID_ADMIN).post("/api/failovers", request(estate.primary, "drill")), 403, null);
        assertThat(jdbc.sql("select count(*) from continuity_operation where database = ?").param(estate.primary)
                .query(Long.class).single()).isZero();
    }

    private void approveAs(String credentials, Task task, boolean approved) {
        Api.Response response = api().as(credentials).post("/engine-rest/task/" + task.getId() + "/submit-form",
                "{\"variables\": {\"approved\": {\"value\": " + approved + ", \"type\": \"Boolean\"}"
                        + (approved ? "" : ", \"decisionNote\": {\"value\": \"primary repaired\"}") + "}}");
        assertThat(response.status()).as(response.toString()).isEqualTo(204);
    }



    private Task task(ProcessInstance instance) {
        return engine.getTaskService().createTaskQuery().processInstanceId(instance.getId()).singleResult();
    }

    private ProcessInstance instance(String id) {
        return engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(id).singleResult();
    }

    private ContinuityOperation operation(Api.Response requested) {
        return operationById(requested.body().get("id").asLong());
    }

    private ContinuityOperation operationById(long id) {
        return failoverService.operation(id);
    }

    private Api api() {
        return new Api(port);
    }

    private static String request(String database, String mode) {
        return "{\"database\":\"" + database + "\",\"mode\":\"" + mode
                + "\",\"reason\":\"test of the failover runbook\",\"ticket\":\"CHG-1\"}";
    }

    private ProcessJobs jobs() {
        return new ProcessJobs(engine, longSteps);
    }
}
