package dev.sco.orchestrator.audit;

import static dev.sco.orchestrator.audit.ContinuityAuditProcess.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.AbstractAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@OrchestratorTest
class ContinuityAuditProcessTest {

    @Autowired
    ProcessEngine engine;
    @Autowired
    AuditService audits;
    @Autowired
    AuditTimerAlignment alignment;

    private RuntimeService runtime;
    private TaskService tasks;
    private ManagementService management;
    private final List<String> started = new ArrayList<>();

    @BeforeEach
    void useEngine() {
        AbstractAssertions.init(engine);
        runtime = engine.getRuntimeService();
        tasks = engine.getTaskService();
        management = engine.getManagementService();
    }

    @AfterEach
    void removeInstancesAndResetClock() {
        ClockUtil.reset();
        for (String id : started) {
            if (runtime.createProcessInstanceQuery().processInstanceId(id).count() > 0) {
                runtime.deleteProcessInstance(id, "test finished", true, true);
            }
        }
    }

    @Test
    void reviewWithAllChecksConfirmedIsRecordedAndPasses() {
        ProcessInstance audit = requestAudit(Map.of());
        assertThat(audit).hasPassed(START_AUDIT_DUE).isWaitingAt(REVIEW_CONTINUITY_PLAN);
        assertThat(task()).hasCandidateGroup("operators");

        tasks.claim(task().getId(), "operator");
        complete(task(), answers(true, true, true, true, "Plan reviewed with the service owner"));
        assertThat(audit).isWaitingAt(RECORD_AUDIT_ANSWERS);
        execute(job());

        assertThat(audit).hasPassed(ALL_CHECKS_PASSED, AUDIT_PASSED).hasNotPassed(FOLLOW_UP_GAPS).isEnded();
        AuditAnswers stored = audits.find(audit.getId()).orElseThrow();
        assertThat(stored.reviewedBy()).isEqualTo("operator");
        assertThat(stored.businessKey()).isEqualTo(audit.getBusinessKey());
        assertThat(stored.reviewedAt()).isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
        assertThat(stored.allChecksPassed()).isTrue();
        assertThat(stored.notes()).isEqualTo("Plan reviewed with the service owner");
    }

    @Test
    void unconfirmedCheckLeadsToFollowUpOfTheGaps() {
        ProcessInstance audit = requestAudit(Map.of());
        assertThat(audit).isWaitingAt(REVIEW_CONTINUITY_PLAN);
        tasks.claim(task().getId(), "operator");
        complete(task(), answers(true, false, true, false, null));
        execute(job());

        assertThat(audit).hasPassed(ALL_CHECKS_PASSED).isWaitingAt(FOLLOW_UP_GAPS);
        assertThat(task()).hasCandidateGroup("operators");
        assertThat(audit).variables()
                .containsEntry(VAR_ALL_CHECKS_PASSED, false)
                .containsEntry(VAR_FAILED_CHECKS, "Roles and responsibilities communicated; "
                        + "Supporting infrastructure in place and reflected in the plan");
        AuditAnswers stored = audits.find(audit.getId()).orElseThrow();
        assertThat(stored.allChecksPassed()).isFalse();
        assertThat(stored.rolesCommunicated()).isFalse();
        assertThat(stored.staffPrepared()).isTrue();

        complete(task(), withVariables(VAR_FOLLOW_UP_NOTES, "Roles workshop booked for next Tuesday"));
        assertThat(audit).hasPassed(GAPS_FOLLOWED_UP).hasNotPassed(AUDIT_PASSED).isEnded();
    }

    @Test
    void recordingTheSameReviewAgainKeepsTheFirstAnswers() {
        ProcessInstance audit = requestAudit(Map.of());
        assertThat(audit).isWaitingAt(REVIEW_CONTINUITY_PLAN);
        tasks.claim(task().getId(), "operator");
        complete(task(), answers(true, true, true, true, "first"));
        execute(job());

        AuditAnswers again = new AuditAnswers(audit.getId(), audit.getBusinessKey(), "someone-else",
                Instant.now(), false, false, false, false, "second");
        AuditAnswers kept = audits.record(again);

        assertThat(kept.reviewedBy()).isEqualTo("operator");
        assertThat(kept.notes()).isEqualTo("first");
        assertThat(kept.allChecksPassed()).isTrue();
    }

    @Test
    void reviewLeftUntouchedPastItsDueDurationIsEscalated() {
        ProcessInstance audit = requestAudit(Map.of());
        Job overdue = management.createJobQuery().processInstanceId(audit.getId()).timers().singleResult();
        assertThat(overdue.getDuedate()).isCloseTo(Date.from(Instant.now().plus(Duration.ofDays(14))),
                Duration.ofMinutes(1).toMillis());

        ClockUtil.setCurrentTime(Date.from(Instant.now().plus(Duration.ofDays(14)).plus(Duration.ofMinutes(1))));
        execute(overdue);

        assertThat(audit).hasPassed(REVIEW_OVERDUE).isWaitingAt(REVIEW_CONTINUITY_PLAN, ESCALATE_OVERDUE_REVIEW);
        Task escalation = task(ESCALATE_OVERDUE_REVIEW);
        assertThat(escalation).hasCandidateGroup("operators");
        assertThat(escalation).hasCandidateGroup("camunda-admin");

        complete(escalation, withVariables(VAR_ESCALATION_NOTES, "Reminded the plan owner"));
        assertThat(audit).hasPassed(OVERDUE_REVIEW_ESCALATED).isWaitingAt(REVIEW_CONTINUITY_PLAN);
        tasks.claim(task(REVIEW_CONTINUITY_PLAN).getId(), "operator");
        complete(task(REVIEW_CONTINUITY_PLAN), answers(true, true, true, true, null));
        execute(job());
        assertThat(audit).hasPassed(AUDIT_PASSED).isEnded();
    }

    @Test
    void reviewDueDurationCanBeGivenWhenTheAuditIsRequested() {
        ProcessInstance audit = requestAudit(Map.of(VAR_REVIEW_DUE_AFTER, "PT36H"));

        Job overdue = management.createJobQuery().processInstanceId(audit.getId()).timers().singleResult();
        assertThat(overdue.getDuedate()).isCloseTo(Date.from(Instant.now().plus(Duration.ofHours(36))),
                Duration.ofMinutes(1).toMillis());
    }

    @Test
    void timerStartsAnAuditEveryQuarter() {
        Job timer = startTimer();
        ZonedDateTime nextQuarter = timer.getDuedate().toInstant().atZone(ZoneId.systemDefault());
        assertThat(nextQuarter).isAfter(ZonedDateTime.now());
        assertThat(nextQuarter.getMonthValue()).isIn(1, 4, 7, 10);
        assertThat(nextQuarter.toLocalDateTime().toLocalTime()).isEqualTo(java.time.LocalTime.of(9, 0));
        assertThat(nextQuarter.getDayOfMonth()).isEqualTo(1);

        ClockUtil.setCurrentTime(Date.from(nextQuarter.plusMinutes(1).toInstant()));
        List<String> before = runningAuditIds();
        execute(timer);

        List<String> created = runningAuditIds();
        created.removeAll(before);
        started.addAll(created);
        assertThat(created).hasSize(1);
        ProcessInstance audit = runtime.createProcessInstanceQuery().processInstanceId(created.get(0)).singleResult();
        assertThat(audit).hasPassed(START_AUDIT_DUE).isWaitingAt(REVIEW_CONTINUITY_PLAN);
        assertThat(startTimer().getDuedate()).isEqualTo(Date.from(nextQuarter.plusMonths(3).toInstant()));
    }

    @Test
    void pendingAuditTimerIsRealignedWithTheConfiguredCycle() {
        Job timer = startTimer();
        Date configured = Date.from(nextQuarterStart(ZonedDateTime.now()).toInstant());
        management.setJobDuedate(timer.getId(), Date.from(Instant.now().plus(Duration.ofDays(1))));

        assertThat(alignment.align()).isEqualTo(1);

        assertThat(startTimer().getDuedate()).isEqualTo(configured);
    }

    private ProcessInstance requestAudit(Map<String, Object> variables) {
        ProcessInstance audit = runtime.startProcessInstanceByKey(KEY, "audit-test-" + UUID.randomUUID(), variables);
        started.add(audit.getId());
        return audit;
    }

    private Job startTimer() {
        return management.createJobQuery().processDefinitionKey(KEY).timers().list().stream()
                .filter(job -> job.getProcessInstanceId() == null)
                .reduce((a, b) -> {
                    throw new AssertionError("more than one audit start timer");
                })
                .orElseThrow();
    }

    private List<String> runningAuditIds() {
        List<String> ids = new ArrayList<>();
        runtime.createProcessInstanceQuery().processDefinitionKey(KEY).list().forEach(pi -> ids.add(pi.getId()));
        return ids;
    }

    /** 09:00 on the next 1 January, April, July or October (the default cron, server time zone). */
    private static ZonedDateTime nextQuarterStart(ZonedDateTime now) {
        ZonedDateTime candidate = now.withZoneSameInstant(ZoneId.systemDefault())
                .withDayOfMonth(1).withHour(9).withMinute(0).withSecond(0).withNano(0);
        while (!candidate.isAfter(now) || (candidate.getMonthValue() - 1) % 3 != 0) {
            candidate = candidate.plusMonths(1);
        }
        return candidate;
    }

    private static Map<String, Object> answers(boolean slas, boolean roles, boolean staff, boolean infrastructure,
                                               String notes) {
        Map<String, Object> answers = new java.util.HashMap<>(withVariables(
                VAR_SLAS_CURRENT, slas,
                VAR_ROLES_COMMUNICATED, roles,
                VAR_STAFF_PREPARED, staff,
                VAR_INFRASTRUCTURE_IN_PLACE, infrastructure));
        answers.put(VAR_NOTES, notes);
        return answers;
    }

    private static org.assertj.core.data.TemporalUnitOffset within(Duration duration) {
        return new org.assertj.core.data.TemporalUnitWithinOffset(duration.toSeconds(), java.time.temporal.ChronoUnit.SECONDS);
    }
}
