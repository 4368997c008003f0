package dev.sco.orchestrator.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.time.Instant;

import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import dev.sco.orchestrator.platform.continuity.SyncControl;
import dev.sco.orchestrator.platform.decision.DecisionRecorder;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import dev.sco.orchestrator.platform.target.ScriptRunner;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The auto-approval policy (the reconnect callouts are in {@link ReconnectCalloutTest}). */
@OrchestratorTest
class FailoverPolicyAndCalloutTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    FailoverRepository repository;
    @Autowired
    TargetDatabases targets;
    @Autowired
    ScriptRunner scripts;
    @Autowired
    SyncControl sync;
    @Autowired
    MeterRegistry meters;
    @Autowired
    Fencing fencing;
    @Autowired
    FailoverService failovers;
    @Autowired
    ProcessEngine engine;
    @Autowired
    dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps;
    @Autowired
    DatabaseRoles roles;
    @Autowired
    DecisionRecorder decisions;

    private FailoverEstate estate;

    @Autowired
    FencingMethodRepository fencingMethods;

    @BeforeEach
    void estate() throws Exception {
        estate = new FailoverEstate(jdbc);
        // Issue 17: the policy approves only databases with a fence that needs no DBA.
        agentMethod(estate.primary);
    }

    private void agentMethod(String database) {
        jdbc.sql("""
                insert into fencing_method (database, position, kind, url, username, password_env, timeout_ms,
                                            updated_at, updated_by)
                values (?, 0, 'agent', 'http://127.0.0.1:1/fence', 'stonith', 'ORCHESTRATOR_TARGET_X', 1000, now(), 'test')""")
                .param(database).update();
    }

    /** Issue 17: a database only the SQL fence can fence is left to a DBA, unless a setting relaxes that. */
    @Test
    void policyApprovesOnlyDatabasesWithAFenceThatNeedsNoDba() {
        long id = operation("unplanned", Duration.ofMinutes(3));
        assertThat(policy(Duration.ofMinutes(10)).decide(id, true).approved()).isTrue();

        jdbc.sql("delete from fencing_method where database = ?").param(estate.primary).update();
        AutoApprovalPolicy.Outcome refused = policy(Duration.ofMinutes(10)).decide(id, true);
        assertThat(refused.approved()).isFalse();
        assertThat(refused.reason()).contains("a fence that needs no DBA registered: NO");
        jdbc.sql("""
                insert into fencing_method (database, position, kind, updated_at, updated_by)
                values (?, 0, 'sql', now(), 'test')""").param(estate.primary).update();
        assertThat(policy(Duration.ofMinutes(10)).decide(id, true).approved()).as("sql alone").isFalse();

        AutoApprovalPolicy relaxed = new AutoApprovalPolicy(new FailoverSettings(Duration.ofSeconds(5), 3,
                Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofSeconds(3), Duration.ofMillis(100), "", true),
                repository, decisions, Clock.systemUTC(), fencingMethods, new DrillRunRepository(jdbc));
        AutoApprovalPolicy.Outcome approved = relaxed.decide(id, true);
        assertThat(approved.approved()).isTrue();
        assertThat(approved.reason()).contains("ORCHESTRATOR_FAILOVER_AUTO_APPROVE_SQL_FENCE_ONLY");
    }

    @AfterEach
    void close() {
        estate.close();
    }

    @Test
    void policyApprovesOnlyUnplannedFailoversWithAPassedPreFlightAndASmallKnownWindow() {
        AutoApprovalPolicy withPolicy = policy(Duration.ofMinutes(10));
        AutoApprovalPolicy withoutPolicy = policy(Duration.ZERO);

        long small = operation("unplanned", Duration.ofMinutes(3));
        long large = operation("drill", Duration.ofMinutes(3));

        assertThat(withPolicy.decide(small, true).approved()).isTrue();
        assertThat(withoutPolicy.decide(small, true).approved()).isFalse();
        assertThat(withPolicy.decide(small, false).approved()).as("pre-flight failed").isFalse();
        assertThat(withPolicy.decide(large, true).approved()).as("only unplanned failovers").isFalse();
        jdbc.sql("update continuity_operation set data_loss_window_ms = ? where id = ?")
                .params(Duration.ofMinutes(30).toMillis(), small).update();
        assertThat(withPolicy.decide(small, true).approved()).as("window above the bound").isFalse();
        jdbc.sql("update continuity_operation set data_loss_window_ms = null where id = ?").param(small).update();
        assertThat(withPolicy.decide(small, true).approved()).as("unknown window").isFalse();
    }

    /**
     * The two refusals with a real pre-flight: the preparation scripts fail on an unreachable failover
     * database (window known and small), and the window is unknown (never synced, scripts fine). Each
     * decision record names every condition and whether it held; with both held the policy approves.
     */
    @Test
    void autoApprovalNeedsAPassedPreFlightAndAKnownWindowAndRecordsWhichHeld() {
        AutoApprovalPolicy policy = policy(Duration.ofMinutes(10));

        long unknownWindow = realOperation();
        FailoverService.PreFlight clean = failovers.preFlight(unknownWindow);
        assertThat(clean.scriptsOk()).isTrue();
        assertThat(clean.dataLossWindowMs()).isNull();
        AutoApprovalPolicy.Outcome refusedUnknown = policy.decide(unknownWindow, clean.scriptsOk());
        assertThat(refusedUnknown.approved()).isFalse();
        assertThat(refusedUnknown.reason()).contains("pre-flight passed: yes", "data-loss window known: NO");
        end(unknownWindow);

        sync.runNow(estate.primary);
        estate.pointFailoverAt(1);
        long scriptsFail = realOperation();
        FailoverService.PreFlight failed = failovers.preFlight(scriptsFail);
        assertThat(failed.scriptsOk()).isFalse();
        assertThat(failed.dataLossWindowMs()).isNotNull().isLessThan(Duration.ofMinutes(10).toMillis());
        AutoApprovalPolicy.Outcome refusedScripts = policy.decide(scriptsFail, failed.scriptsOk());
        assertThat(refusedScripts.approved()).isFalse();
        assertThat(refusedScripts.reason()).contains("pre-flight passed: NO", "data-loss window known: yes",
                "window under the bound: yes");
        end(scriptsFail);

        estate.pointFailoverAt(estate.failoverPort());
        long approved = realOperation();
        FailoverService.PreFlight passed = failovers.preFlight(approved);
        assertThat(policy.decide(approved, passed.scriptsOk()).approved()).isTrue();
        end(approved);

        List<SensorDecision> recorded = decisions.recent(AutoApprovalPolicy.SENSOR, estate.primary, 10);
        assertThat(recorded).extracting(SensorDecision::action)
                .containsExactly(AutoApprovalPolicy.APPROVED, SensorDecision.SKIPPED, SensorDecision.SKIPPED);
        assertThat(recorded.get(1).reason()).contains("failover " + scriptsFail, "pre-flight passed: NO");
        assertThat(recorded.get(2).reason()).contains("failover " + unknownWindow, "data-loss window known: NO");
    }

    private long realOperation() {
        return repository.insertFailover(estate.primary, estate.failover, "unplanned", "health-probe", "policy",
                null, Instant.now()).orElseThrow();
    }

    private void end(long id) {
        jdbc.sql("update continuity_operation set ended_at = now(), state = 'declined' where id = ?").param(id).update();
    }

    @Test
    void failoverApprovedByPolicyGoesOnWithoutAnApprovalTask() {
        long id = repository.insertFailover(estate.primary, estate.failover, "drill", "health-probe", "policy path",
                null, Instant.now()).orElseThrow();
        ProcessInstance instance = engine.getRuntimeService().createProcessInstanceByKey(DatabaseFailoverProcess.KEY)
                .startBeforeActivity(DatabaseFailoverProcess.APPROVAL_GATEWAY)
                .setVariable(DatabaseFailoverProcess.VAR_OPERATION_ID, id)
                .setVariable(DatabaseFailoverProcess.VAR_MODE, "drill")
                .setVariable(DatabaseFailoverProcess.VAR_AUTO_APPROVED, true)
                .setVariable(DatabaseFailoverProcess.VAR_PRE_FLIGHT, "(not run)")
                .execute();
        // As FailoverRequests does after a start: the record is bound to its process instance.
        repository.setProcess(id, instance.getId());

        new ProcessJobs(engine, longSteps).run(instance);

        BpmnAwareTests.assertThat(instance).hasPassed("Gateway_ApprovalGiven", DatabaseFailoverProcess.END_DRILL)
                .hasNotPassed(DatabaseFailoverProcess.APPROVE).isEnded();
    }

    private long operation(String mode, Duration window) {
        long id = repository.insertFailover(estate.primary, estate.failover, mode, "test", "policy", null, Instant.now())
                .orElseThrow();
        repository.recordPreFlight(id, window.toMillis(), Instant.now().minus(window));
        jdbc.sql("update continuity_operation set ended_at = now() where id = ?").param(id).update();
        return id;
    }

    private AutoApprovalPolicy policy(Duration autoApproveBelow) {
        FailoverSettings settings = new FailoverSettings(Duration.ofSeconds(5), 3, Duration.ofSeconds(2), autoApproveBelow,
                Duration.ofSeconds(3), Duration.ofMillis(100), "", false);
        return new AutoApprovalPolicy(settings, repository, decisions, Clock.systemUTC(), fencingMethods, new DrillRunRepository(jdbc));
    }
}
