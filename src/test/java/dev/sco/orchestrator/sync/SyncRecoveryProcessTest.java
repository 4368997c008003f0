package dev.sco.orchestrator.sync;

import dev.sco.orchestrator.Decisions;
import dev.sco.orchestrator.platform.longstep.LongStepWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.util.List;
import java.util.Date;

import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Readiness: consecutive failed runs stop the schedule and ask a DBA for a full resynchronisation. */
@OrchestratorTest
class SyncRecoveryProcessTest {

    @Autowired
    ProcessEngine engine;
    @Autowired
    SyncService service;
    @Autowired
    SyncRepository repository;
    @Autowired
    SyncFixture fixture;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient orchestrator;

    private SyncPair pair;

    @BeforeEach
    void setUp() {
        BpmnAwareTests.init(engine);
        fixture.outsideWindow(clock);
        pair = fixture.create();
        assertThat(service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test").succeeded()).isTrue();
    }

    @Autowired
    LongStepWorker longSteps;

    @AfterEach
    void resetClocks() {
        clock.reset();
        ClockUtil.reset();
    }

    @Test
    void threeFailedRunsStopTheScheduleAndApprovalResynchronisesEverything() {
        ProcessInstance recovery = failThreeTimes();

        assertThat(recovery).isWaitingAt(SyncRecoveryProcess.APPROVE_RESYNC);
        assertThat(task(SyncRecoveryProcess.APPROVE_RESYNC, recovery)).hasCandidateGroup("dba");
        assertThat((String) engine.getRuntimeService().getVariable(recovery.getId(), SyncRecoveryProcess.VAR_FAILURES))
                .contains("monitored.rule_config").contains("run ");
        // Stopped: the schedule skips the pair (and says why) and manual runs are refused.
        service.runScheduled(pair.primary());
        assertThat(orchestrator.sql("""
                        select reason from sensor_decision where sensor = 'sync' and subject = :db
                        order by id desc limit 1""").param("db", pair.primary()).query(String.class).single())
                .startsWith("stopped since");
        assertThat(repository.runs(pair.primary(), 10)).hasSize(4);

        repairFailover();
        fixture.jdbc(pair.primary()).sql("insert into monitored.rule_config (rule_name, severity) values ('after-failure', 2)")
                .update();
        Decisions.completeAs(BpmnAwareTests.processEngine(), "dba", "dba", task(SyncRecoveryProcess.APPROVE_RESYNC, recovery).getId(),
                withVariables(SyncRecoveryProcess.VAR_APPROVED, true));
        assertThat(recovery).isWaitingAt(SyncRecoveryProcess.FULL_RESYNC);
        // Other tests of this shared context may leave long steps due too.
        assertThat(longSteps.runDue()).isPositive();
        assertThat(recovery).hasPassed(SyncRecoveryProcess.FULL_RESYNC);
        long resyncRows = (Long) engine.getRuntimeService().getVariable(recovery.getId(),
                SyncRecoveryProcess.VAR_RESYNC_ROWS);
        assertThat(resyncRows).isPositive();
        // Progress was written while the copy ran, table by table, each in its own transaction.
        List<Long> progress = engine.getHistoryService().createHistoricDetailQuery().variableUpdates()
                .processInstanceId(recovery.getId()).list().stream()
                .map(d -> (org.camunda.bpm.engine.history.HistoricVariableUpdate) d)
                .filter(u -> u.getVariableName().equals(SyncRecoveryProcess.VAR_RESYNC_ROWS_SO_FAR))
                .map(u -> ((Number) u.getValue()).longValue()).sorted().toList();
        assertThat(progress).hasSizeGreaterThan(1).last().isEqualTo(resyncRows);
        execute(job(SyncRecoveryProcess.RESUME_SCHEDULE, recovery));

        assertThat(recovery).hasPassed(SyncRecoveryProcess.RESUME_SCHEDULE).isEnded();
        assertThat(fixture.contents(pair.failover())).isEqualTo(fixture.contents(pair.primary()));
        SyncRepository.State state = repository.state(pair.primary()).orElseThrow();
        assertThat(state.stoppedAt()).isNull();
        assertThat(state.consecutiveFailures()).isZero();
        SyncRepository.Run full = repository.runs(pair.primary(), 1).get(0);
        assertThat(full.kind()).isEqualTo("full");
        assertThat(full.tasks()).allMatch(t -> t.kind().equals("whole"));
        assertThat(repository.checkpoints(pair.primary()).values()).containsOnly(full.checkpoint());
        assertThat(service.runNow(pair.primary(), SyncService.Kind.SCHEDULED, null).succeeded()).isTrue();
    }

    @Test
    void declinedResyncKeepsSyncStoppedAndRemindsEveryDay() {
        ProcessInstance recovery = failThreeTimes();

        Decisions.completeAs(BpmnAwareTests.processEngine(), "dba", "dba", task(SyncRecoveryProcess.APPROVE_RESYNC, recovery).getId(),
                withVariables(SyncRecoveryProcess.VAR_APPROVED, false));

        assertThat(recovery).isWaitingAt(SyncRecoveryProcess.RESYNC_DECLINED);
        assertThat(repository.state(pair.primary()).orElseThrow().stoppedAt()).isNotNull();
        for (int day = 1; day <= 2; day++) {
            moveClocks(Duration.ofDays(1).plusMinutes(1));
            execute(engine.getManagementService().createJobQuery().processInstanceId(recovery.getId())
                    .activityId(SyncRecoveryProcess.REMIND_DECLINED).singleResult());
            assertThat(engine.getTaskService().createTaskQuery().processInstanceId(recovery.getId())
                    .taskDefinitionKey(SyncRecoveryProcess.STILL_STOPPED).count()).isEqualTo(day);
        }
        assertThat(repository.state(pair.primary()).orElseThrow().stoppedAt()).isNotNull();
    }

    @Test
    void untouchedApprovalIsEscalated() {
        ProcessInstance recovery = failThreeTimes();

        moveClocks(Duration.ofHours(4).plusMinutes(1));
        execute(job(SyncRecoveryProcess.ESCALATE_APPROVAL, recovery));

        assertThat(recovery).isWaitingAt(SyncRecoveryProcess.APPROVE_RESYNC, SyncRecoveryProcess.APPROVAL_OVERDUE);
        assertThat(task(SyncRecoveryProcess.APPROVAL_OVERDUE, recovery)).hasCandidateGroup("camunda-admin");
    }

    private ProcessInstance failThreeTimes() {
        // The first task (rule_config) cannot copy into a table that lost a column.
        fixture.jdbc(pair.failover()).sql("alter table monitored.rule_config drop column threshold").update();
        for (int run = 1; run <= 3; run++) {
            assertThat(engine.getRuntimeService().createProcessInstanceQuery()
                    .processInstanceBusinessKey(pair.primary()).count()).isZero();
            service.runScheduled(pair.primary());
            assertThat(repository.state(pair.primary()).orElseThrow().consecutiveFailures()).isEqualTo(run);
        }
        assertThat(repository.state(pair.primary()).orElseThrow().stoppedAt()).isNotNull();
        return engine.getRuntimeService().createProcessInstanceQuery()
                .processDefinitionKey(SyncRecoveryProcess.KEY).processInstanceBusinessKey(pair.primary())
                .singleResult();
    }

    private void repairFailover() {
        fixture.jdbc(pair.failover()).sql("alter table monitored.rule_config add column threshold double precision")
                .update();
        // Column order matters to COPY: rebuild the table in the primary's order.
        fixture.jdbc(pair.failover()).sql("""
                alter table monitored.rule_config drop column created_at, drop column updated_at""").update();
        fixture.jdbc(pair.failover()).sql("""
                alter table monitored.rule_config add column created_at timestamptz not null default now(),
                                                  add column updated_at timestamptz not null default now()""").update();
    }

    private void moveClocks(Duration by) {
        clock.advance(by);
        ClockUtil.setCurrentTime(Date.from(clock.instant()));
    }
}
