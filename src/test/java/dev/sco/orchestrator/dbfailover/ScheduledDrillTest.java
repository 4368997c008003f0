package dev.sco.orchestrator.dbfailover;

import static dev.sco.orchestrator.Api.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.util.List;
import java.util.TimeZone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Drills on a schedule: the cron is validated and kept as a clustered Quartz cron trigger; a fire
 * (the trigger's job run by the test) starts a drill that runs unattended and keeps its evidence,
 * readable at {@code GET /api/drills}; a drill that finds a problem opens a review task.
 */
@OrchestratorTest
class ScheduledDrillTest {

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Scheduler scheduler;
    @Autowired
    DrillSchedule drillSchedule;

    private FailoverEstate estate;

    @BeforeEach
    void startEstate() throws Exception {
        BpmnAwareTests.init(engine);
        estate = new FailoverEstate(jdbc);
        estate.consumersFollowTheirBindings();
    }

    @AfterEach
    void stopEstate() throws Exception {
        api(Api.DBA).send(api(Api.DBA).request("/api/drills/schedules/" + estate.primary).DELETE());
        engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(DatabaseFailoverProcess.KEY)
                .variableValueEquals(DatabaseFailoverProcess.VAR_DATABASE, estate.primary).list()
                .forEach(pi -> engine.getRuntimeService().deleteProcessInstance(pi.getId(), "test over"));
        estate.close();
    }

    @Test
    void scheduleIsValidatedAndKeptAsAClusteredCronTrigger() throws Exception {
        String path = "/api/drills/schedules/" + estate.primary;
        assertProblem(api(Api.DBA).put(path, "{\"cron\": \"every monday\"}"), 400, "cron");
        assertProblem(api(Api.DBA).put(path, "{\"cron\": \"0 */5 * * * ?\"}"), 400, "cron");
        assertProblem(api(Api.DBA).put(path, "{}"), 400, "cron");
        assertProblem(api(Api.DBA).put(path, "{\"cron\": \"0 0 3 ? * MON\", \"timeZone\": \"Mars/Olympus\"}"), 400,
                "timeZone");
        assertProblem(api(Api.DBA).put("/api/drills/schedules/" + estate.failover, "{\"cron\": \"0 0 3 ? * MON\"}"),
                400, "database");
        assertProblem(api(Api.DBA).put("/api/drills/schedules/no-such-db", "{\"cron\": \"0 0 3 ? * MON\"}"), 404,
                "database");
        assertThat(api(Api.OPERATOR).put(path, "{\"cron\": \"0 0 3 ? * MON\"}").status()).isEqualTo(403);
        assertThat(scheduler.checkExists(DrillSchedule.key(estate.primary))).isFalse();

        Api.Response created = api(Api.DBA).put(path, "{\"cron\": \"0 0 3 ? * MON\", \"timeZone\": \"Europe/Zurich\"}");

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.text("updatedBy")).isEqualTo("dba");
        assertThat(created.text("nextDrillAt")).isNotBlank();
        Trigger trigger = scheduler.getTrigger(DrillSchedule.key(estate.primary));
        assertThat(trigger).isInstanceOf(CronTrigger.class);
        assertThat(((CronTrigger) trigger).getCronExpression()).isEqualTo("0 0 3 ? * MON");
        assertThat(((CronTrigger) trigger).getTimeZone()).isEqualTo(TimeZone.getTimeZone("Europe/Zurich"));
        assertThat(trigger.getJobDataMap().getString(DrillSchedule.DATABASE)).isEqualTo(estate.primary);

        Api.Response replaced = api(Api.DBA).put(path, "{\"cron\": \"0 30 2 1 * ?\"}");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(((CronTrigger) scheduler.getTrigger(DrillSchedule.key(estate.primary))).getCronExpression())
                .isEqualTo("0 30 2 1 * ?");
        assertThat(api(Api.DEMO).get("/api/drills/schedules").body().findValuesAsText("database"))
                .contains(estate.primary);

        Api.Response deleted = api(Api.DBA).send(api(Api.DBA).request(path).DELETE());
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(scheduler.checkExists(DrillSchedule.key(estate.primary))).isFalse();
    }

    @Test
    void scheduledDrillRunsUnattendedAndKeepsItsEvidence() throws Exception {
        assertThat(api(Api.DBA).put("/api/drills/schedules/" + estate.primary, "{\"cron\": \"0 0 3 ? * MON\"}")
                .status()).isEqualTo(201);

        ProcessInstance drill = fire();
        new ProcessJobs(engine, longSteps).run(drill);

        assertThat(drill).hasPassed(DatabaseFailoverProcess.DRILL_CHECKS, DatabaseFailoverProcess.END_DRILL)
                .hasNotPassed(DatabaseFailoverProcess.APPROVE).isEnded();
        JsonNode runs = api(Api.DEMO).get("/api/drills?database=" + estate.primary).body();
        assertThat(runs.size()).isOne();
        JsonNode run = runs.get(0);
        assertThat(run.get("scheduled").asBoolean()).isTrue();
        assertThat(run.get("state").asText()).isEqualTo(ContinuityOperation.DRILLED);
        assertThat(run.get("processInstanceId").asText()).isEqualTo(drill.getId());
        assertThat(run.get("primaryReachable").asBoolean()).isTrue();
        assertThat(run.get("failoverReachable").asBoolean()).isTrue();
        assertThat(run.get("preFlightOk").asBoolean()).isTrue();
        assertThat(run.get("estimatedRtoMs").isNumber()).isTrue();
        assertThat(run.get("checkedAt").asText()).isNotBlank();
        assertThat(run.get("wouldFence").asText()).contains(estate.primary, "read-only");
        assertThat(names(run.get("consumersToMove"))).containsExactlyInAnyOrderElementsOf(estate.consumers);
        assertThat(names(run.get("problems"))).isEmpty();
        // It changed nothing.
        assertThat(estate.boundTo(estate.consumers.get(0))).isEqualTo(estate.primary);
        estate.writeOnPrimary();
    }

    @Test
    void drillThatFindsAProblemOpensAReviewTask() throws Exception {
        assertThat(api(Api.DBA).put("/api/drills/schedules/" + estate.primary, "{\"cron\": \"0 0 3 ? * MON\"}")
                .status()).isEqualTo(201);
        estate.losePrimary();

        ProcessInstance drill = fire();
        new ProcessJobs(engine, longSteps).run(drill);

        assertThat(drill).isWaitingAt(DatabaseFailoverProcess.REVIEW_DRILL);
        JsonNode run = api(Api.DEMO).get("/api/drills?database=" + estate.primary).body().get(0);
        assertThat(run.get("primaryReachable").asBoolean()).isFalse();
        assertThat(names(run.get("problems"))).anyMatch(p -> p.contains("unreachable"));
        Task review = engine.getTaskService().createTaskQuery().processInstanceId(drill.getId()).singleResult();
        assertThat(review.getName()).isEqualTo("Review drill findings");
        assertThat(engine.getTaskService().getIdentityLinksForTask(review.getId())).extracting("groupId")
                .contains("dba");
        String submit = "/engine-rest/task/" + review.getId() + "/submit-form";
        assertThat(api(Api.DBA).post(submit, "{\"variables\": {}}").status()).isEqualTo(400);

        Api.Response reviewed = api(Api.DBA).post(submit,
                "{\"variables\": {\"reviewNote\": {\"value\": \"agent fencing method registered\"}}}");

        assertThat(reviewed.status()).as("%s", reviewed).isEqualTo(204);
        assertThat(drill).isEnded();
    }

    @Test
    void aFireWithoutItsScheduleStartsNothingAndRemovesTheTrigger() throws Exception {
        assertThat(api(Api.DBA).put("/api/drills/schedules/" + estate.primary, "{\"cron\": \"0 0 3 ? * MON\"}")
                .status()).isEqualTo(201);
        jdbc.sql("delete from drill_schedule where database = ?").param(estate.primary).update();

        assertThat(drillSchedule.fire(estate.primary)).isEmpty();

        assertThat(scheduler.checkExists(DrillSchedule.key(estate.primary))).isFalse();
        assertThat(api(Api.DEMO).get("/api/drills?database=" + estate.primary).body().size()).isZero();
    }

    /** What the trigger's job does when Quartz fires it: its database comes from the stored trigger. */
    private ProcessInstance fire() throws Exception {
        Trigger trigger = scheduler.getTrigger(DrillSchedule.key(estate.primary));
        ContinuityOperation op = drillSchedule.fire(trigger.getJobDataMap().getString(DrillSchedule.DATABASE))
                .orElseThrow();
        assertThat(op.requestedBy()).isEqualTo(DrillSchedule.REQUESTER);
        return engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(op.processInstanceId())
                .singleResult();
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new java.util.ArrayList<>();
        array.forEach(n -> names.add(n.asText()));
        return names;
    }

    private Api api(String credentials) {
        return new Api(port).as(credentials);
    }
}
