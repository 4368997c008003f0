package dev.sco.orchestrator.serverfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

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

/** The server failover process, started by the detector and driven step by step. */
@OrchestratorTest
class ServerFailoverProcessTest {

    @Autowired
    ProcessEngine engine;
    @Autowired
    HeartbeatDetector detector;
    @Autowired
    ServerFailoverService service;
    @Autowired
    OutageRepository outages;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;

    private Estate estate;
    private Instant now;
    private String standby;
    private String failed;

    @BeforeEach
    void setUp() {
        BpmnAwareTests.init(engine);
        estate = new Estate(jdbc);
        now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        standby = estate.server("standby", null, 60, now);
        failed = estate.server("failed", standby, 60, now.minus(Duration.ofMinutes(5)));
    }

    @AfterEach
    void resetClocks() {
        clock.reset();
        ClockUtil.reset();
    }

    @Test
    void movesSitesAndJobsButGatheringJobsStay() {
        String site = estate.site("site", failed);
        String report = estate.job("report", "report", site, failed);
        String purge = estate.job("purge", "purge", null, failed);
        String gathering = estate.job("gathering", "gathering", site, failed);
        String otherSite = estate.site("other-site", standby);

        ProcessInstance failover = detect();
        execute(job(failover));

        assertThat(failover).hasPassed(ServerFailoverProcess.MOVE_SITES_AND_JOBS)
                .isWaitingAt(ServerFailoverProcess.TELL_STANDBY);
        assertThat(estate.managerOfSite(site)).isEqualTo(standby);
        assertThat(estate.managerOfJob(report)).isEqualTo(standby);
        assertThat(estate.managerOfJob(purge)).isEqualTo(standby);
        assertThat(estate.managerOfJob(gathering)).isEqualTo(failed);
        assertThat(estate.managerOfSite(otherSite)).isEqualTo(standby);
        assertThat(service.moveSitesAndJobs(outage().id())).as("a retried step moves nothing twice").isZero();
    }

    @Test
    void automaticAgentsFollowAndOperatorsGetExactlyTheManualOnes() {
        String auto1 = estate.agent("auto-1", "automatic", failed, List.of(failed, standby));
        String auto2 = estate.agent("auto-2", "automatic", failed, List.of(failed));
        String manual1 = estate.agent("manual-1", "manual", failed, List.of(failed, standby));
        String manual2 = estate.agent("manual-2", "manual", failed, List.of(failed));
        String elsewhere = estate.agent("elsewhere", "manual", standby, List.of(standby));

        ProcessInstance failover = detect();
        runJobs(failover);

        assertThat(estate.managerOfAgent(auto1)).isEqualTo(standby);
        assertThat(estate.managerOfAgent(auto2)).isEqualTo(standby);
        assertThat(estate.managerOfAgent(manual1)).isEqualTo(failed);
        assertThat(estate.managerOfAgent(elsewhere)).isEqualTo(standby);
        assertThat(failover).isWaitingAt(ServerFailoverProcess.REGISTER_MANUAL_AGENTS)
                .variables().containsEntry(ServerFailoverProcess.VAR_MANUAL_AGENTS, manual1 + "\n" + manual2)
                .containsEntry(ServerFailoverProcess.VAR_MANUAL_AGENT_COUNT, 2)
                .containsEntry(ServerFailoverProcess.VAR_AGENTS_MOVED, 2);
        assertThat(task(failover)).hasCandidateGroup("operators");
        assertThat(engine.getFormService().getTaskFormData(task(failover).getId()).getFormFields())
                .extracting(field -> field.getId())
                .contains(ServerFailoverProcess.VAR_MANUAL_AGENTS, ServerFailoverProcess.VAR_MANUAL_AGENT_COUNT);

        complete(task(failover));
        runJobs(failover);

        assertThat(failover).as("auto-2 and manual-2 have only the failed server in their chain")
                .isWaitingAt(ServerFailoverProcess.REPAIR_BROKEN_CHAINS)
                .variables().containsEntry(ServerFailoverProcess.VAR_BROKEN_CHAIN_COUNT, 2);
        complete(task(failover));

        assertThat(failover).isWaitingAt(ServerFailoverProcess.SERVER_BACK_ONLINE);
        assertThat(outage().state()).isEqualTo(Outage.AWAITING_RETURN);
    }

    @Test
    void serverBackOnlineAsksOperatorsAndFailbackMovesEverythingBack() {
        String site = estate.site("site", failed);
        String job = estate.job("report", "report", site, failed);
        String agent = estate.agent("auto", "automatic", failed, List.of(failed, standby));
        ProcessInstance failover = detect();
        runJobs(failover);
        assertThat(failover).isWaitingAt(ServerFailoverProcess.SERVER_BACK_ONLINE);

        detector.pass(now);
        assertThat(failover).isWaitingAt(ServerFailoverProcess.SERVER_BACK_ONLINE);

        estate.ping(failed, now);
        detector.pass(now.plusSeconds(1));

        assertThat(failover).isWaitingAt(ServerFailoverProcess.DECIDE_FAILBACK);
        assertThat(task(failover)).hasCandidateGroup("operators");
        assertThat(outage().state()).isEqualTo(Outage.BACK_ONLINE);
        assertThat(estate.decisions(failed)).last().asString().startsWith("correlated: ");
        assertThat(estate.managerOfSite(site)).as("no automatic failback").isEqualTo(standby);

        complete(task(failover), withVariables(ServerFailoverProcess.VAR_FAILBACK_DECISION, ServerFailoverProcess.FAILBACK));
        runJobs(failover);

        assertThat(failover).hasPassed(ServerFailoverProcess.FAIL_BACK, ServerFailoverProcess.TELL_SERVER_BACK).isEnded();
        assertThat(estate.managerOfSite(site)).isEqualTo(failed);
        assertThat(estate.managerOfJob(job)).isEqualTo(failed);
        assertThat(estate.managerOfAgent(agent)).isEqualTo(failed);
        assertThat(outage().state()).isEqualTo(Outage.FAILED_BACK);
        assertThat(outage().endedAt()).isNotNull();
    }

    @Test
    void stayingOnStandbyKeepsTheWorkThere() {
        String site = estate.site("site", failed);
        ProcessInstance failover = detect();
        runJobs(failover);
        estate.ping(failed, now);
        detector.pass(now.plusSeconds(1));

        complete(task(failover), withVariables(ServerFailoverProcess.VAR_FAILBACK_DECISION,
                ServerFailoverProcess.STAY_ON_STANDBY));

        assertThat(failover).hasPassed(ServerFailoverProcess.END_KEPT_ON_STANDBY).isEnded();
        assertThat(estate.managerOfSite(site)).isEqualTo(standby);
        assertThat(outage().state()).isEqualTo(Outage.KEPT_ON_STANDBY);
    }

    @Test
    void serverWithoutStandbyTellsOperatorsWithoutAnIncident() {
        String lonely = estate.server("lonely", null, 60, now.minus(Duration.ofMinutes(5)));
        String site = estate.site("lonely-site", lonely);
        detector.pass(now);
        Outage outage = estate.outages(outages, lonely).get(0);
        ProcessInstance failover = instance(outage);

        assertThat(failover).isWaitingAt(ServerFailoverProcess.NO_STANDBY);
        assertThat(task(failover)).hasCandidateGroup("operators");
        assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(failover.getId()).count())
                .isZero();
        assertThat(estate.managerOfSite(site)).isEqualTo(lonely);

        complete(task(failover));

        assertThat(failover).hasPassed(ServerFailoverProcess.END_NO_STANDBY).isEnded();
        assertThat(outages.find(outage.id()).orElseThrow().state()).isEqualTo(Outage.NO_STANDBY);
    }

    @Test
    void noManualAgentsMeansNoOperatorTask() {
        estate.agent("auto", "automatic", failed, List.of(failed, standby));
        ProcessInstance failover = detect();
        runJobs(failover);

        assertThat(failover).hasNotPassed(ServerFailoverProcess.REGISTER_MANUAL_AGENTS)
                .isWaitingAt(ServerFailoverProcess.SERVER_BACK_ONLINE);
    }

    @Test
    void chainsThroughTheFailedServerThatReachNoLiveServerBecomeOneOperatorTask() {
        String down = estate.server("down", null, 60, now.minus(Duration.ofMinutes(5)));
        String onlyFailed = estate.agent("only-failed", "automatic", failed, List.of(failed));
        estate.agent("to-standby", "automatic", failed, List.of(failed, standby));
        String failedThenDown = estate.agent("failed-then-down", "manual", standby, List.of(failed, down));
        estate.agent("unrelated-down", "manual", down, List.of(down));
        String forwarder = estate.server("forwarder", null, 60, now);
        String forwarderOk = estate.server("forwarder-ok", null, 60, now);
        forwards(forwarder, failed, down);
        forwards(forwarderOk, failed, standby);

        ProcessInstance failover = detect();
        runJobs(failover);

        assertThat(failover).hasPassed(ServerFailoverProcess.CHECK_CHAINS)
                .isWaitingAt(ServerFailoverProcess.REPAIR_BROKEN_CHAINS);
        assertThat(task(failover)).hasCandidateGroup("operators");
        assertThat(failover).variables().containsEntry(ServerFailoverProcess.VAR_BROKEN_CHAIN_COUNT, 3)
                .containsEntry(ServerFailoverProcess.VAR_BROKEN_CHAINS, String.join("\n",
                        "agent " + failedThenDown + ": " + failed + " > " + down + " (no server Up and not failed over)",
                        "agent " + onlyFailed + ": " + failed + " (no server Up and not failed over)",
                        "forwarding chain of server " + forwarder + ": " + failed + " > " + down
                                + " (no server Up and not failed over)"));
        assertThat(engine.getFormService().getTaskFormData(task(failover).getId()).getFormFields())
                .extracting(field -> field.getId())
                .contains(ServerFailoverProcess.VAR_BROKEN_CHAINS, ServerFailoverProcess.VAR_BROKEN_CHAIN_COUNT);

        complete(task(failover));
        assertThat(failover).isWaitingAt(ServerFailoverProcess.SERVER_BACK_ONLINE);
    }

    @Test
    void whenEveryChainThroughTheFailedServerReachesALiveServerNobodyIsAsked() {
        estate.agent("to-standby", "automatic", failed, List.of(failed, standby));
        String forwarder = estate.server("forwarder", null, 60, now);
        forwards(forwarder, failed, standby);

        ProcessInstance failover = detect();
        runJobs(failover);

        assertThat(failover).hasPassed(ServerFailoverProcess.CHECK_CHAINS)
                .hasNotPassed(ServerFailoverProcess.REPAIR_BROKEN_CHAINS)
                .isWaitingAt(ServerFailoverProcess.SERVER_BACK_ONLINE)
                .variables().containsEntry(ServerFailoverProcess.VAR_BROKEN_CHAIN_COUNT, 0);
    }

    private void forwards(String server, String... targets) {
        for (int i = 0; i < targets.length; i++) {
            jdbc.sql("INSERT INTO server_forwarding_chain (server, position, target) VALUES (?, ?, ?)")
                    .params(server, i, targets[i]).update();
        }
    }

    @Test
    void failoverStartedByHandRecordsItsOutage() {
        String site = estate.site("site", failed);
        ProcessInstance failover = engine.getRuntimeService().startProcessInstanceByKey(ServerFailoverProcess.KEY,
                "by-hand-" + failed, Map.of(ServerFailoverProcess.VAR_SERVER, failed));
        execute(job(failover));

        Outage outage = outages.findByProcess(failover.getId()).orElseThrow();
        assertThat(outage.standby()).isEqualTo(standby);
        assertThat(estate.managerOfSite(site)).isEqualTo(standby);
        assertThat(failover).variables().containsEntry(ServerFailoverProcess.VAR_STARTED_BY, "engine-rest");
    }

    /** Runs the instance's jobs (async steps) until it waits for something else. */
    private void runJobs(ProcessInstance failover) {
        for (int i = 0; i < 20; i++) {
            var next = engine.getManagementService().createJobQuery().processInstanceId(failover.getId()).executable()
                    .list();
            if (next.isEmpty()) {
                return;
            }
            execute(next.get(0));
        }
        throw new AssertionError("the process does not stop running jobs");
    }

    private ProcessInstance detect() {
        detector.pass(now);
        ProcessInstance failover = instance(outage());
        assertThat(failover).isStarted().isWaitingAt(ServerFailoverProcess.MOVE_SITES_AND_JOBS);
        return failover;
    }

    private Outage outage() {
        List<Outage> of = estate.outages(outages, failed);
        assertThat(of).hasSize(1);
        return of.get(0);
    }

    private ProcessInstance instance(Outage outage) {
        return engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(outage.processInstanceId()).singleResult();
    }
}
