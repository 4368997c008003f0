package dev.sco.orchestrator.postclone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.estate.AgentStatus;
import dev.sco.orchestrator.estate.AgentStatusService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The post-clone check and the agent issue processes, driven job by job with the engine clock. */
@OrchestratorTest
class PostCloneCheckProcessTest {

    @Autowired
    ProcessEngine engine;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PostCloneService service;
    @Autowired
    AgentStatusService agentStatus;

    private final String instance = "inst-" + UUID.randomUUID().toString().substring(0, 8);
    private Instant completedAt;

    @BeforeEach
    void setUp() {
        BpmnAwareTests.init(engine);
        completedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    }

    @AfterEach
    void resetClocks() {
        clock.reset();
        ClockUtil.reset();
    }

    @Test
    void nothingDownMeansNoIssue() {
        agent("up-1", "Up", completedAt.minus(Duration.ofDays(3)));
        agent("up-2", "Up", completedAt.minus(Duration.ofDays(3)));

        ProcessInstance check = reportAndRunBothChecks();

        assertThat(check).hasPassed(PostCloneCheckProcess.FIRST_CHECK, PostCloneCheckProcess.SECOND_CHECK)
                .isEnded();
        assertThat(issuesOf("up-1")).isEmpty();
        assertThat(issuesOf("up-2")).isEmpty();
    }

    @Test
    void checksAreDueFifteenAndSeventyFiveMinutesAfterTheClone() {
        agent("timing", "Down", completedAt.minus(Duration.ofDays(1)));
        ProcessInstance check = report();
        execute(job(check));

        assertThat(check).isWaitingAt(PostCloneCheckProcess.TIMER_FIRST_CHECK);
        assertThat(job(check).getDuedate()).isEqualTo(Date.from(completedAt.plus(Duration.ofMinutes(15))));
        moveTo(completedAt.plus(Duration.ofMinutes(15)));
        execute(job(check));
        assertThat(check).isWaitingAt(PostCloneCheckProcess.TIMER_SECOND_CHECK);
        assertThat(job(check).getDuedate()).isEqualTo(Date.from(completedAt.plus(Duration.ofMinutes(75))));
    }

    @Test
    void downAtFirstCheckAndUpBeforeSecondIsResolvedAndItsTaskIsGone() {
        agent("flaky", "Down", completedAt.minus(Duration.ofDays(1)));
        ProcessInstance check = report();
        execute(job(check));
        moveTo(completedAt.plus(Duration.ofMinutes(15)));
        execute(job(check));

        AgentIssue issue = single(issuesOf("flaky"));
        assertThat(issue.state()).isEqualTo(AgentIssue.OPEN);
        assertThat(issue.source()).isEqualTo("InstanceClone");
        assertThat(issue.message()).isEqualTo("MID Server not operational (status: Down), possibly due to recent "
                + "clone. Verify credentials for logged in User 'user-flaky'.");
        ProcessInstance operator = issueProcess(issue.id());
        assertThat(operator).isWaitingAt(AgentIssueProcess.VERIFY_CREDENTIALS);
        assertThat(task(operator)).hasCandidateGroup("mid-admins");

        agentStatus.changeStatus(name("flaky"), AgentStatus.UP);

        AgentIssue resolved = single(issuesOf("flaky"));
        assertThat(resolved.state()).isEqualTo(AgentIssue.RESOLVED);
        assertThat(resolved.resolvedAt()).isNotNull();
        assertThat(operator).hasPassed(AgentIssueProcess.END_RESOLVED).isEnded();
        moveTo(completedAt.plus(Duration.ofMinutes(75)));
        execute(job(check));
        assertThat(check).isEnded();
        assertThat(issuesOf("flaky")).hasSize(1);
    }

    @Test
    void downAtBothChecksIsOneIssueDetectedTwice() {
        agent("dead", "Down", completedAt.minus(Duration.ofDays(1)));

        reportAndRunBothChecks();

        AgentIssue issue = single(issuesOf("dead"));
        assertThat(issue.state()).isEqualTo(AgentIssue.OPEN);
        assertThat(issue.detectionCount()).isEqualTo(2);
        assertThat(issue.firstDetectedAt().toInstant())
                .isCloseTo(completedAt.plus(Duration.ofMinutes(15)), within(2, ChronoUnit.SECONDS));
        assertThat(issue.lastDetectedAt().toInstant())
                .isCloseTo(completedAt.plus(Duration.ofMinutes(75)), within(2, ChronoUnit.SECONDS));
        assertThat(engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceBusinessKey(AgentIssueProcess.businessKey(issue.id())).count()).isEqualTo(1);
    }

    @Test
    void agentAddedAfterTheCloneIsNeverEvaluated() {
        agent("before", "Down", completedAt.minus(Duration.ofHours(1)));
        agent("after", "Down", completedAt.plus(Duration.ofMinutes(1)));

        reportAndRunBothChecks();

        assertThat(issuesOf("before")).hasSize(1);
        assertThat(issuesOf("after")).isEmpty();
    }

    @Test
    void duplicateAndConcurrentReportsYieldOneProcess() throws Exception {
        agent("dup", "Up", completedAt.minus(Duration.ofDays(1)));
        String cloneId = "clone-" + UUID.randomUUID();
        Callable<PostCloneService.CloneReport> report = () -> service.reportClone(cloneId, instance, completedAt, "test");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PostCloneService.CloneReport>> reports = pool.invokeAll(List.of(report, report, report, report));
            List<PostCloneService.CloneReport> results = reports.stream().map(PostCloneCheckProcessTest::get).toList();
            assertThat(results).extracting(PostCloneService.CloneReport::processInstanceId).containsOnly(
                    results.get(0).processInstanceId());
            assertThat(results).filteredOn(PostCloneService.CloneReport::created).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(service.reportClone(cloneId, instance, completedAt, "test").created()).isFalse();
        assertThat(engine.getRuntimeService().createProcessInstanceQuery()
                .processDefinitionKey(PostCloneCheckProcess.KEY).processInstanceBusinessKey(cloneId).count())
                .isEqualTo(1);
    }

    @Test
    void credentialsFixedRechecksTheAgentAndEndsWhenItIsUp() {
        agent("fixme", "Down", completedAt.minus(Duration.ofDays(1)));
        reportAndRunFirstCheck();
        AgentIssue issue = single(issuesOf("fixme"));
        ProcessInstance operator = issueProcess(issue.id());
        // The agent is back in the inventory's view (e.g. set by a sync) without a status report.
        jdbc.sql("update agent set status = 'Up' where name = ?").param(name("fixme")).update();

        complete(task(operator), withVariables(AgentIssueProcess.VAR_OUTCOME, AgentIssueProcess.OUTCOME_FIXED));

        assertThat(operator).hasPassed(AgentIssueProcess.RECHECK_AGENT, AgentIssueProcess.END_FIXED).isEnded();
        assertThat(single(issuesOf("fixme")).state()).isEqualTo(AgentIssue.RESOLVED);
    }

    @Test
    void credentialsFixedButAgentStillDownEscalatesToTheKnowledgeBase() {
        agent("stilldown", "Down", completedAt.minus(Duration.ofDays(1)));
        reportAndRunFirstCheck();
        ProcessInstance operator = issueProcess(single(issuesOf("stilldown")).id());

        complete(task(operator), withVariables(AgentIssueProcess.VAR_OUTCOME, AgentIssueProcess.OUTCOME_FIXED,
                AgentIssueProcess.VAR_NOTE, "reset the password"));

        assertThat(operator).hasPassed(AgentIssueProcess.RECHECK_AGENT, AgentIssueProcess.RECORD_NOTE)
                .isWaitingAt(AgentIssueProcess.CONSULT_KNOWLEDGE_BASE);
        assertThat(single(issuesOf("stilldown")).state()).isEqualTo(AgentIssue.OPEN);
        assertThat(single(issuesOf("stilldown")).operatorNote()).isEqualTo("reset the password");
    }

    @Test
    void credentialsCorrectButStillDownRecordsTheNoteAndEscalates() {
        agent("stuck", "Down", completedAt.minus(Duration.ofDays(1)));
        reportAndRunFirstCheck();
        AgentIssue issue = single(issuesOf("stuck"));
        ProcessInstance operator = issueProcess(issue.id());

        complete(task(operator), withVariables(AgentIssueProcess.VAR_OUTCOME, AgentIssueProcess.OUTCOME_STILL_DOWN,
                AgentIssueProcess.VAR_NOTE, "password matches the vault"));

        assertThat(operator).hasPassed(AgentIssueProcess.RECORD_NOTE)
                .isWaitingAt(AgentIssueProcess.CONSULT_KNOWLEDGE_BASE);
        assertThat(single(issuesOf("stuck")).operatorNote()).isEqualTo("password matches the vault");
        complete(task(operator), withVariables("findings", "proxy blocks the agent"));
        assertThat(operator).hasPassed(AgentIssueProcess.END_ESCALATED).isEnded();
        assertThat(single(issuesOf("stuck")).state()).isEqualTo(AgentIssue.OPEN);
    }

    @Test
    void escalatedTaskEndsByItselfWhenTheAgentComesUp() {
        agent("later", "Down", completedAt.minus(Duration.ofDays(1)));
        reportAndRunFirstCheck();
        ProcessInstance operator = issueProcess(single(issuesOf("later")).id());
        complete(task(operator), withVariables(AgentIssueProcess.VAR_OUTCOME, AgentIssueProcess.OUTCOME_STILL_DOWN));

        agentStatus.changeStatus(name("later"), AgentStatus.UP);

        assertThat(operator).hasPassed("EndEvent_ResolvedWhileEscalated").isEnded();
    }

    @Test
    void reportingUpForAnAgentAlreadyUpChangesNothing() {
        agent("steady", "Down", completedAt.minus(Duration.ofDays(1)));
        reportAndRunFirstCheck();
        agentStatus.changeStatus(name("steady"), AgentStatus.UP);
        Instant resolvedAt = single(issuesOf("steady")).resolvedAt().toInstant();

        clock.advance(Duration.ofMinutes(5));
        agentStatus.changeStatus(name("steady"), AgentStatus.UP);

        assertThat(single(issuesOf("steady")).resolvedAt().toInstant()).isEqualTo(resolvedAt);
    }

    private ProcessInstance reportAndRunFirstCheck() {
        ProcessInstance check = report();
        execute(job(check));
        moveTo(completedAt.plus(Duration.ofMinutes(15)));
        execute(job(check));
        return check;
    }

    private ProcessInstance reportAndRunBothChecks() {
        ProcessInstance check = reportAndRunFirstCheck();
        moveTo(completedAt.plus(Duration.ofMinutes(75)));
        execute(job(check));
        return check;
    }

    private ProcessInstance report() {
        String cloneId = "clone-" + UUID.randomUUID();
        String id = service.reportClone(cloneId, instance, completedAt, "test").processInstanceId();
        ProcessInstance check = engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(id)
                .singleResult();
        assertThat(check).isWaitingAt(PostCloneCheckProcess.CAPTURE_SNAPSHOT);
        return check;
    }

    private ProcessInstance issueProcess(long issueId) {
        return engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceBusinessKey(AgentIssueProcess.businessKey(issueId)).singleResult();
    }

    /** Moves the engine clock and the application clock to the same instant. */
    private void moveTo(Instant at) {
        clock.advance(Duration.between(clock.instant(), at));
        ClockUtil.setCurrentTime(Date.from(at));
    }

    private String name(String agent) {
        return instance + "-" + agent;
    }

    private void agent(String agent, String status, Instant createdAt) {
        jdbc.sql("""
                insert into agent (name, instance, username, status, registration, created_at)
                values (?, ?, ?, ?, 'automatic', ?)""")
                .params(name(agent), instance, "user-" + agent, status, Timestamp.from(createdAt)).update();
    }

    private List<AgentIssue> issuesOf(String agent) {
        return service.issuesOfAgent(name(agent));
    }

    private static AgentIssue single(List<AgentIssue> issues) {
        assertThat(issues).hasSize(1);
        return issues.get(0);
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
