package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.Decisions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
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
 * The fence holds against a consumer that asks for READ WRITE: its role loses CONNECT on the old
 * primary, and the restoration gives back exactly what the fence took.
 */
@OrchestratorTest
class FencingTest {

    @LocalServerPort
    int port;
    @Autowired
    org.quartz.Scheduler scheduler;
    @Autowired
    ProcessEngine engine;
    @Autowired
    dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    FailoverService failoverService;
    @Autowired
    dev.sco.orchestrator.platform.target.TargetDatabases targets;

    private FailoverEstate estate;

    @BeforeEach
    void startEstate() throws Exception {
        BpmnAwareTests.init(engine);
        estate = new FailoverEstate(jdbc);
        estate.copyPrimaryToFailover();
        estate.consumersFollowTheirBindings();
    }

    @AfterEach
    void stopEstate() {
        engine.getRuntimeService().createProcessInstanceQuery().active().list().stream()
                .filter(pi -> estate.primary.equals(engine.getRuntimeService().getVariable(pi.getId(),
                        DatabaseFailoverProcess.VAR_DATABASE)))
                .forEach(pi -> engine.getRuntimeService().deleteProcessInstance(pi.getId(), "test over"));
        estate.close();
    }

    @Test
    void aFencedPrimaryRefusesTheConsumerRoleEvenWhenItAsksForReadWriteAndTheUnfenceLetsItWriteAgain()
            throws Exception {
        String role = estate.consumerRole(false);
        String aclBefore = connectPrivileges();
        Connection openBeforeTheFence = estate.connectToPrimaryAs(role);
        FailoverEstate.insistOnWriting(openBeforeTheFence);

        long failoverId = failOver();

        ContinuityOperation failover = failoverService.operation(failoverId);
        assertThat(failover.fenced()).as(failover.fenceDetail()).isTrue();
        assertThat(failover.fenceDetail()).contains("CONNECT revoked", role);
        assertThatThrownBy(() -> FailoverEstate.insistOnWriting(openBeforeTheFence)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> {
            try (Connection session = estate.connectToPrimaryAs(role)) {
                FailoverEstate.insistOnWriting(session);
            }
        }).isInstanceOf(SQLException.class).hasMessageContaining("permission denied for database");
        assertThat(jdbc.sql("select fence_revoked from continuity_operation where id = ?").param(failoverId)
                .query((rs, i) -> List.of((String[]) rs.getArray(1).getArray())).single())
                .containsExactly(Fencing.PUBLIC);
        assertThat(jdbc.sql("select fence_recorded_at is not null and fenced_at is not null and unfenced_at is null "
                + "from continuity_operation where id = ?").param(failoverId).query(Boolean.class).single()).isTrue();

        // The orchestrator's own pool opens a session under the fence (as after a node restart or when the
        // pool grows): read-only by default.
        targets.dataSource(estate.primary).unwrap(com.zaxxer.hikari.HikariDataSource.class).getHikariPoolMXBean()
                .softEvictConnections();
        assertThat(targets.jdbc(estate.primary).sql("show default_transaction_read_only").query(String.class).single())
                .isEqualTo("on");

        long restorationId = restoreQuickly();

        // The unfence renewed the pool's sessions: the restoration's write probe and every later step write.
        assertThat(targets.jdbc(estate.primary).sql("show default_transaction_read_only").query(String.class).single())
                .isEqualTo("off");

        try (Connection session = estate.connectToPrimaryAs(role)) {
            FailoverEstate.insistOnWriting(session);
        }
        assertThat(connectPrivileges()).isEqualTo(aclBefore);
        Map<String, Object> unfence = jdbc.sql("select unfenced_at, unfenced_by_operation_id, unfence_detail "
                + "from continuity_operation where id = ?").param(failoverId).query().singleRow();
        assertThat(unfence.get("unfenced_at")).isNotNull();
        assertThat(unfence.get("unfenced_by_operation_id")).isEqualTo(restorationId);
        assertThat((String) unfence.get("unfence_detail")).contains("CONNECT granted back to [PUBLIC]");
        // A quick repair never fenced the failover database: reinstalling sync only resets its default.
        assertThat(jdbc.sql("select unfence_detail from continuity_operation where id = ?").param(restorationId)
                .query(String.class).single()).isEqualTo("no fence recorded: read-only default reset");
    }

    @Test
    void aSuperuserConsumerRoleCannotBeFencedAndTheFailoverSaysSo() throws Exception {
        String superuser = estate.consumerRole(true);
        Api.Response requested = api().post("/api/failovers", "{\"database\":\"" + estate.primary
                + "\",\"mode\":\"unplanned\",\"reason\":\"primary lost\"}");
        ProcessInstance failover = instance(requested.body().get("processInstanceId").asText());
        jobs().run(failover);
        Decisions.completeAs(engine, "dba", "dba", task(failover).getId(), Map.of("approved", true));
        jobs().run(failover);

        assertThat(failover).isWaitingAt(DatabaseFailoverProcess.ACKNOWLEDGE_UNFENCED);
        ContinuityOperation op = failoverService.operation(requested.body().get("id").asLong());
        assertThat(op.fenced()).isFalse();
        assertThat(op.fenceDetail()).contains("not fenced", superuser, "superuser");
    }

    /** A failover of the primary run to its end; returns the operation's id. */
    private long failOver() throws Exception {
        return estate.failOver(api(), jobs(), engine).body().get("id").asLong();
    }

    /** A restoration repaired in time (consumers go straight back), run to its last task. */
    private long restoreQuickly() throws Exception {
        String instanceName = "inst-" + estate.id;
        jdbc.sql("insert into agent (name, instance, username, status, registration) values (?, ?, 'mid', 'Up', 'manual')")
                .params("mid-" + estate.id, instanceName).update();
        // A scheduled pair, as in production: a quick repair goes straight back.
        dev.sco.orchestrator.SyncTriggers.scheduleFarAhead(scheduler, estate.primary);
        Api.Response requested = api().as(Api.DBA).post("/api/restorations", "{\"database\":\"" + estate.primary
                + "\",\"reason\":\"repaired\",\"instance\":\"" + instanceName + "\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        ProcessInstance restoration = instance(requested.body().get("processInstanceId").asText());
        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("repairNote", "restarted"));
        jobs().runUntil(restoration, DatabaseRestorationProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(restoration);
        assertThat(restoration).hasPassed(DatabaseRestorationProcess.UNFENCE_PRIMARY)
                .isWaitingAt(DatabaseRestorationProcess.TEST_AND_VERIFY);
        return requested.body().get("id").asLong();
    }

    /** Who holds which privilege on the primary database, sorted (independent of the ACL's order). */
    private String connectPrivileges() {
        return estate.text(true, """
                select string_agg(coalesce(r.rolname, 'PUBLIC') || ':' || a.privilege_type, ',' order by 1)
                  from pg_database d cross join aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                  left join pg_roles r on r.oid = a.grantee
                 where d.datname = current_database()""");
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
