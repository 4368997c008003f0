package dev.sco.orchestrator.platform.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Decision records coalesce and expire; the engine's history is cleaned up after its time to live. */
@OrchestratorTest
class DecisionRetentionTest {

    @LocalServerPort
    int port;
    @Autowired
    DecisionRecorder decisions;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Scheduler scheduler;
    @Autowired
    MutableClock clock;
    @Autowired
    ProcessEngine engine;

    private final String sensor = Api.unique("sensor");

    @AfterEach
    void reset() {
        clock.reset();
        ClockUtil.reset();
    }

    @Test
    void repeatsOfTheSameDecisionCoalesceIntoOneRecordWithACountAndFirstAndLastTime() {
        Instant t = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        for (int pass = 0; pass < 3; pass++) {
            decisions.recordAll(List.of(decision("pair-1", "skipped", "acting hub alive", t.plusSeconds(5L * pass)),
                    decision("pair-2", "skipped", "acting hub alive", t.plusSeconds(5L * pass))));
        }
        decisions.record(decision("pair-1", "started", "acting hub lost", t.plusSeconds(15)));
        decisions.record(decision("pair-1", "skipped", "acting hub alive", t.plusSeconds(20)));

        assertThat(rows("pair-2")).isEqualTo(1);
        assertThat(rows("pair-1")).as("alive x3, lost, alive: the run before the change stays a run").isEqualTo(3);

        Api.Response answer = new Api(port).get("/api/decisions?sensor=" + sensor + "&subject=pair-1");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode oldest = answer.body().get(2);
        assertThat(oldest.get("reason").asText()).isEqualTo("acting hub alive");
        assertThat(oldest.get("count").asInt()).isEqualTo(3);
        assertThat(Instant.parse(oldest.get("decidedAt").asText())).isEqualTo(t);
        assertThat(Instant.parse(oldest.get("lastDecidedAt").asText())).isEqualTo(t.plusSeconds(10));
        assertThat(answer.body().get(1).get("action").asText()).isEqualTo("started");
        assertThat(answer.body().get(0).get("count").asInt()).isEqualTo(1);
    }

    @Test
    void theScheduledPurgeRemovesRecordsWhoseLatestOccurrenceIsPastTheRetention() throws Exception {
        Instant now = clock.instant();
        decisions.record(decision("old", "skipped", "nothing to do", now.minus(Duration.ofDays(40))));
        decisions.record(decision("old", "skipped", "nothing to do", now.minus(Duration.ofDays(31))));
        decisions.record(decision("kept", "skipped", "nothing to do", now.minus(Duration.ofDays(40))));
        decisions.record(decision("kept", "skipped", "nothing to do", now.minus(Duration.ofDays(29))));
        assertThat(scheduler.getTrigger(TriggerKey.triggerKey("decision-retention", "platform"))).isNotNull();

        scheduler.triggerJob(JobKey.jobKey("decision-retention", "platform"));

        await().atMost(Duration.ofSeconds(30)).until(() -> rows("old") == 0);
        assertThat(rows("kept")).as("first seen 40 days ago, but last 29 days ago").isEqualTo(1);
    }

    @Test
    void engineHistoryCleanupIsOnAndRemovesAFinishedInstancePastItsTimeToLive() {
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        assertThat(configuration.getHistoryCleanupStrategy()).isEqualTo("removalTimeBased");
        assertThat(configuration.getHistoryCleanupBatchWindowStartTime()).isEqualTo("01:00");
        assertThat(engine.getHistoryService().findHistoryCleanupJobs()).as("created at start for the batch window")
                .isNotEmpty();

        String key = Api.unique("retentionProbe").replace("-", "");
        Deployment deployment = engine.getRepositoryService().createDeployment().addModelInstance(key + ".bpmn",
                Bpmn.createExecutableProcess(key).name("Retention probe").camundaHistoryTimeToLive(1)
                        .startEvent().name("Start").endEvent().name("End").done()).deploy();
        try {
            String finished = engine.getRuntimeService().startProcessInstanceByKey(key).getId();
            assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(finished)
                    .finished().count()).isEqualTo(1);

            ClockUtil.setCurrentTime(Date.from(Instant.now().plus(Duration.ofHours(12))));
            String young = engine.getRuntimeService().startProcessInstanceByKey(key).getId();
            ClockUtil.setCurrentTime(Date.from(Instant.now().plus(Duration.ofHours(30))));
            Job cleanup = engine.getManagementService().createJobQuery()
                    .jobId(engine.getHistoryService().cleanUpHistoryAsync(true).getId()).singleResult();
            engine.getManagementService().executeJob(cleanup.getId());

            assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(finished)
                    .count()).as("ended 30 h ago, time to live 1 day").isZero();
            assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(young)
                    .count()).as("ended 18 h ago").isEqualTo(1);
        } finally {
            ClockUtil.reset();
            engine.getRepositoryService().deleteDeployment(deployment.getId(), true);
        }
    }

    private DecisionRecorder.Decision decision(String subject, String action, String reason, Instant at) {
        return new DecisionRecorder.Decision(sensor, subject, action, reason, at, null, null);
    }

    private long rows(String subject) {
        return jdbc.sql("select count(*) from sensor_decision where sensor = ? and subject = ?")
                .params(sensor, subject).query(Long.class).single();
    }
}
