package dev.sco.orchestrator.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.Decisions;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issue 17: a failover whose old primary is fenced by a method that needs no answer from it (an
 * HTTP fencing agent, or the writers' confirmations) goes on without a person; when no method
 * confirms, the DBA's acknowledgement stays, and nothing is promoted before it. The tests' policy
 * bound is one hour (application-test.yaml): only estates with such a method are approved by it.
 */
@OrchestratorTest
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class UnattendedFailoverTest {

    @LocalServerPort
    int port;
    @Autowired
    org.quartz.Scheduler scheduler;
    @Autowired
    ProcessEngine engine;
    @Autowired
    LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SyncControl sync;
    @Autowired
    DatabaseHealthProbe probe;
    @Autowired
    FailoverService failovers;
    @Autowired
    dev.sco.orchestrator.MutableClock clock;

    private FailoverEstate estate;
    private FencingAgentStub agent;

    @BeforeEach
    void start() throws Exception {
        BpmnAwareTests.init(engine);
        agent = new FencingAgentStub();
    }

    @AfterEach
    void stop() {
        clock.reset();
        if (estate != null) {
            engine.getRuntimeService().createProcessInstanceQuery().active().list().stream()
                    .filter(pi -> estate.primary.equals(engine.getRuntimeService().getVariable(pi.getId(),
                            DatabaseFailoverProcess.VAR_DATABASE)))
                    .forEach(pi -> engine.getRuntimeService().deleteProcessInstance(pi.getId(), "test over"));
            estate.close();
        }
        agent.close();
    }

    @Test
    void aKilledPrimaryFencedByAnAgentIsFailedOverWithoutAnyUserTask(
            org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        estate = new FailoverEstate(jdbc, true);
        estate.consumersFollowTheirBindings();
        registerMethods("{\"kind\": \"sql\"}", agent.agentMethod("2s"));
        sync.runNow(estate.primary);
        estate.killPrimary();

        for (int i = 0; i < 3; i++) {
            probe.pass();
        }
        ContinuityOperation op = failovers.operation(jdbc.sql(
                        "select id from continuity_operation where database = ? and kind = 'failover'")
                .param(estate.primary).query(Long.class).single());
        ProcessInstance failover = instance(op.processInstanceId());
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(failover);

        assertThat(failover).hasPassed(DatabaseFailoverProcess.FENCE, DatabaseFailoverProcess.END_FAILED_OVER)
                .hasNotPassed(DatabaseFailoverProcess.APPROVE, DatabaseFailoverProcess.ACKNOWLEDGE_UNFENCED,
                        DatabaseFailoverProcess.ACKNOWLEDGE_UNCONFIRMED_WRITERS)
                .isEnded();
        assertThat(engine.getHistoryService().createHistoricTaskInstanceQuery().processInstanceId(failover.getId())
                .count()).as("no user task at all").isZero();
        ContinuityOperation done = failovers.operation(op.id());
        assertThat(done.approvedBy()).isEqualTo("policy");
        assertThat(done.fenced()).isTrue();
        assertThat(done.fenceDetail()).contains("unreachable", "vm-stop", "hypervisor: vm db1 powered off");
        assertThat(jdbc.sql("select fenced_by from continuity_operation where id = ?").param(op.id())
                .query(String.class).single()).isEqualTo("agent");

        List<FencingMethodRepository.Attempt> attempts = attempts(op.id());
        assertThat(attempts).extracting(FencingMethodRepository.Attempt::kind, FencingMethodRepository.Attempt::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sql", "not-fenced"),
                        org.assertj.core.groups.Tuple.tuple("agent", "fenced"));
        assertThat(attempts.get(1).agentMethod()).isEqualTo("vm-stop");
        assertThat(attempts.get(1).evidence()).isEqualTo("hypervisor: vm db1 powered off");

        assertThat(agent.calls).hasSize(1);
        assertThat(agent.calls.get(0).body()).contains("\"operationId\":" + op.id(), "\"operation\":\"fence\"",
                "\"database\":\"" + estate.primary + "\"");
        assertThat(agent.calls.get(0).idempotencyKey()).isEqualTo("continuity-operation-" + op.id() + "-fence-"
                + estate.primary);
        // The credential goes to the agent only: no answer of the API shows it.
        for (String path : List.of("/api/failovers/" + op.id(), "/api/failovers/" + op.id() + "/fencing",
                "/api/databases/" + estate.primary + "/fencing", "/api/databases/" + estate.primary)) {
            Api.Response answer = new Api(port).as(Api.DBA).get(path);
            assertThat(answer.status()).as(path).isEqualTo(200);
            assertThat(answer.body().toString()).as(path).doesNotContain(agent.password);
        }
        assertThat(actingRole(estate.failover)).isEqualTo("primary");
        assertThat(output.getAll()).as("the agent's decision is logged").contains("confirmed fenced by vm-stop")
                .as("its credential is not").doesNotContain(agent.password)
                .doesNotContain(agent.calls.get(0).authorization().substring("Basic ".length()));
    }

    @ParameterizedTest
    @EnumSource(value = FencingAgentStub.Behaviour.class, names = {"REFUSE", "SLOW", "GARBAGE"})
    void anAgentThatDoesNotConfirmLeavesTheAcknowledgementAndNothingIsPromotedBeforeIt(
            FencingAgentStub.Behaviour behaviour) throws Exception {
        estate = new FailoverEstate(jdbc);
        estate.consumersFollowTheirBindings();
        registerMethods("{\"kind\": \"sql\"}", agent.agentMethod("500ms"));
        agent.behaviour = behaviour;
        sync.runNow(estate.primary);
        estate.losePrimary();

        ProcessInstance failover = requestFailover();
        jobs().run(failover);

        assertThat(failover).hasPassed(DatabaseFailoverProcess.FENCE)
                .hasNotPassed(DatabaseFailoverProcess.APPROVE)
                .isWaitingAt(DatabaseFailoverProcess.ACKNOWLEDGE_UNFENCED);
        long id = operationId(failover);
        String why = switch (behaviour) {
            case REFUSE -> "\"fenced\" is false (hypervisor unreachable)";
            case SLOW -> "no answer within the method's timeout of 500 ms";
            case GARBAGE -> "without a JSON object";
            default -> throw new IllegalStateException();
        };
        assertThat(engine.getRuntimeService().getVariable(failover.getId(), DatabaseFailoverProcess.VAR_FENCE_DETAIL)
                .toString()).contains("unreachable", why);
        assertThat(failovers.operation(id).fenced()).isFalse();
        assertThat(attempts(id)).extracting(FencingMethodRepository.Attempt::outcome)
                .containsExactly("not-fenced", "not-fenced");
        assertNothingPromoted(failover);

        Decisions.completeAs(engine, "dba", "dba", task(failover).getId(), Map.of("acknowledged", true));
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        assertThat(estate.boundTo(estate.consumers.get(0))).isEqualTo(estate.failover);
    }

    @Test
    void writersThatDoNotAllConfirmLeaveTheAcknowledgementNamingWhoDidNot() throws Exception {
        estate = new FailoverEstate(jdbc);
        estate.consumersFollowTheirBindings();
        reconnectAddresses();
        agent.confirming.put(estate.consumers.get(0), true);
        registerMethods("{\"kind\": \"sql\"}", "{\"kind\": \"writers\", \"onlyWriters\": true}");
        sync.runNow(estate.primary);
        estate.losePrimary();

        ProcessInstance failover = requestFailover();
        jobs().run(failover);

        assertThat(failover).hasPassed(DatabaseFailoverProcess.REPOINT, DatabaseFailoverProcess.RECONNECT)
                .hasNotPassed(DatabaseFailoverProcess.APPROVE, DatabaseFailoverProcess.ACKNOWLEDGE_UNFENCED,
                        DatabaseFailoverProcess.VERIFY)
                .isWaitingAt(DatabaseFailoverProcess.ACKNOWLEDGE_UNCONFIRMED_WRITERS);
        long id = operationId(failover);
        String detail = engine.getRuntimeService().getVariable(failover.getId(),
                DatabaseFailoverProcess.VAR_FENCE_DETAIL).toString();
        assertThat(detail).contains(estate.consumers.get(1) + " (told, but its answer confirmed nothing")
                .doesNotContain(estate.consumers.get(0) + " (");
        assertThat(failovers.operation(id).fenced()).isFalse();
        assertThat(failovers.operation(id).verifiedAt()).isNull();
        assertThat(actingRole(estate.failover)).as("not promoted before the acknowledgement").isEqualTo("standby");
        assertThat(actingRole(estate.primary)).isEqualTo("primary");
        assertThat(agent.reconnects).hasSize(2);
        assertThat(attempts(id)).extracting(FencingMethodRepository.Attempt::kind, FencingMethodRepository.Attempt::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sql", "not-fenced"),
                        org.assertj.core.groups.Tuple.tuple("writers", "pending"),
                        org.assertj.core.groups.Tuple.tuple("writers", "not-fenced"));

        Decisions.completeAs(engine, "dba", "dba", task(failover).getId(), Map.of("acknowledged", true));
        estate.consumersFollowTheirBindings();
        jobs().run(failover);
        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER).isEnded();
        assertThat(actingRole(estate.failover)).isEqualTo("primary");
    }

    @Test
    void writersThatAllConfirmFenceTheOldPrimaryWithoutAnyUserTask() throws Exception {
        estate = new FailoverEstate(jdbc);
        estate.consumersFollowTheirBindings();
        reconnectAddresses();
        estate.consumers.forEach(c -> agent.confirming.put(c, true));
        registerMethods("{\"kind\": \"sql\"}", "{\"kind\": \"writers\", \"onlyWriters\": true}");
        sync.runNow(estate.primary);
        estate.losePrimary();

        ProcessInstance failover = requestFailover();
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(failover);

        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER).isEnded();
        assertThat(engine.getHistoryService().createHistoricTaskInstanceQuery().processInstanceId(failover.getId())
                .count()).as("no user task at all").isZero();
        long id = operationId(failover);
        assertThat(failovers.operation(id).fenced()).isTrue();
        assertThat(jdbc.sql("select fenced_by from continuity_operation where id = ?").param(id)
                .query(String.class).single()).isEqualTo("writers");
    }

    /**
     * Quick repair: the step that lets the primary take writes asks the agent. Late repair: the copy
     * back (which writes to the primary) asks it first, and that step does not ask again.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aRestorationAsksTheAgentThatFencedToUnfence(boolean lateRepair) throws Exception {
        estate = new FailoverEstate(jdbc);
        String instance = "inst-" + estate.id;
        jdbc.sql("insert into agent (name, instance, username, status, registration) values (?, ?, 'mid', 'Up', 'manual')")
                .params("mid-" + estate.id, instance).update();
        estate.copyPrimaryToFailover();
        estate.consumersFollowTheirBindings();
        registerMethods(agent.agentMethod("2s"), "{\"kind\": \"sql\"}");
        sync.runNow(estate.primary);
        ProcessInstance failover = requestFailover();
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(failover);
        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER);
        assertThat(agent.calls).hasSize(1);

        // A scheduled pair, as in production: a quick repair goes straight back.
        dev.sco.orchestrator.SyncTriggers.scheduleFarAhead(scheduler, estate.primary);
        Api.Response requested = new Api(port).as(Api.DBA).post("/api/restorations", "{\"database\":\""
                + estate.primary + "\",\"reason\":\"repaired\",\"instance\":\"" + instance + "\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        ProcessInstance restoration = instance(requested.body().get("processInstanceId").asText());
        long restorationId = requested.body().get("id").asLong();
        if (lateRepair) {
            clock.advance(java.time.Duration.ofDays(1));
        }
        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("repairNote", "vm repaired"));
        jobs().runUntil(restoration, DatabaseRestorationProcess.VERIFY);

        assertThat(restoration).hasPassed(DatabaseRestorationProcess.UNFENCE_PRIMARY);
        if (lateRepair) {
            assertThat(restoration).hasPassed(DatabaseRestorationProcess.COPY_BACK);
        } else {
            assertThat(restoration).hasNotPassed(DatabaseRestorationProcess.COPY_BACK);
        }
        assertThat(agent.calls).hasSize(2);
        assertThat(agent.calls.get(1).body()).contains("\"operation\":\"unfence\"", "\"operationId\":" + restorationId);
        assertThat(agent.calls.get(1).idempotencyKey()).isEqualTo("continuity-operation-" + restorationId
                + "-unfence-" + estate.primary);
        assertThat(attempts(restorationId)).extracting(FencingMethodRepository.Attempt::kind,
                        FencingMethodRepository.Attempt::action, FencingMethodRepository.Attempt::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("agent", "unfence", "unfenced"),
                        org.assertj.core.groups.Tuple.tuple("sql", "unfence", "unfenced"));
        engine.getRuntimeService().deleteProcessInstance(restoration.getId(), "test over");
    }

    /** Nothing after the fence acted: no sync stop, script, job switch, repoint or role change. */
    private void assertNothingPromoted(ProcessInstance failover) {
        assertThat(failover).hasNotPassed(DatabaseFailoverProcess.STOP_SYNC, DatabaseFailoverProcess.REMOVE_ORPHANS,
                DatabaseFailoverProcess.ADVANCE_SEQUENCES, DatabaseFailoverProcess.SWITCH_JOBS,
                DatabaseFailoverProcess.REPOINT);
        assertThat(jdbc.sql("select step from operation_step where process_instance_id = ? order by 1")
                .param(failover.getId()).query(String.class).list())
                .containsExactlyInAnyOrder(DatabaseFailoverProcess.PRE_FLIGHT, DatabaseFailoverProcess.FENCE);
        assertThat(estate.boundTo(estate.consumers.get(0))).isEqualTo(estate.primary);
        assertThat(estate.jobEnabled(estate.failover, "nightly-maintenance")).isFalse();
        assertThat(actingRole(estate.failover)).isEqualTo("standby");
    }

    private void reconnectAddresses() {
        for (String consumer : estate.consumers) {
            jdbc.sql("update server set reconnect_url = ? where name = ?").params(agent.reconnectUrl(consumer), consumer)
                    .update();
        }
    }

    private void registerMethods(String... methods) {
        Api.Response answer = new Api(port).as(Api.DBA).put("/api/databases/" + estate.primary + "/fencing",
                "{\"methods\": [" + String.join(", ", methods) + "]}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    private ProcessInstance requestFailover() {
        Api.Response requested = new Api(port).post("/api/failovers", "{\"database\":\"" + estate.primary
                + "\",\"mode\":\"unplanned\",\"reason\":\"primary lost\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        return instance(requested.body().get("processInstanceId").asText());
    }

    private List<FencingMethodRepository.Attempt> attempts(long operationId) {
        return jdbc.sql("select * from fence_attempt where operation_id = ? order by id").param(operationId)
                .query((rs, i) -> new FencingMethodRepository.Attempt(rs.getLong("id"), rs.getLong("operation_id"),
                        rs.getString("database"), rs.getString("action"), rs.getString("kind"), null,
                        rs.getString("outcome"), rs.getString("detail"), rs.getString("agent_method"),
                        rs.getString("evidence"), null, null, null, null, null))
                .list();
    }

    private String actingRole(String database) {
        return jdbc.sql("select acting_role from database_endpoint where name = ?").param(database)
                .query(String.class).single();
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

    private ProcessJobs jobs() {
        return new ProcessJobs(engine, longSteps);
    }
}
