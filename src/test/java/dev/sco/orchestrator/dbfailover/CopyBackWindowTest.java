package dev.sco.orchestrator.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.Decisions;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.longstep.LongStepWorker;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.camunda.bpm.engine.impl.util.ClockUtil;
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
 * A restoration's copy back is a full copy: when its estimate (the pair's last full copy's rate)
 * would run into the primary's grooming window, it waits for the window's end, says why, and then
 * copies; its own rate is recorded for the next estimate. The clocks are moved.
 */
@OrchestratorTest
class CopyBackWindowTest {

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;
    @Autowired
    org.quartz.Scheduler scheduler;

    private FailoverEstate estate;
    private String instance;

    @BeforeEach
    void failOver() throws Exception {
        BpmnAwareTests.init(engine);
        ClockUtil.setCurrentTime(Date.from(clock.instant()));
        estate = new FailoverEstate(jdbc);
        instance = "inst-" + estate.id;
        jdbc.sql("insert into agent (name, instance, username, status, registration) values (?, ?, 'mid', 'Up', 'manual')")
                .params("mid-" + estate.id, instance).update();
        estate.copyPrimaryToFailover();
        estate.consumersFollowTheirBindings();
        estate.failOver(api(), jobs(), engine);
    }

    @AfterEach
    void cleanUp() {
        clock.reset();
        ClockUtil.reset();
        estate.close();
    }

    @Test
    void aCopyBackThatWouldRunIntoTheGroomingWindowWaitsForItsEnd() {
        Api.Response requested = api().as(Api.DBA).post("/api/restorations", "{\"database\":\"" + estate.primary
                + "\",\"reason\":\"primary repaired\",\"instance\":\"" + instance + "\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        ProcessInstance restoration = instance(requested.body().get("processInstanceId").asText());
        moveClocks(Duration.ofDays(1));
        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("repairNote", "disk replaced"));

        // The pair's last full copy moved what the failover database holds now in one hour; the
        // primary's grooming job starts in about half an hour, for 20 minutes.
        Instant windowEnd = slowLastCopyAndGroomingSoon(false);

        jobs().run(restoration);
        assertThat(restoration).hasPassed(DatabaseRestorationProcess.BACKUP)
                .isWaitingAt(DatabaseRestorationProcess.COPY_BACK);
        ExternalTask waiting = engine.getExternalTaskService().createExternalTaskQuery()
                .processInstanceId(restoration.getId()).activityId(DatabaseRestorationProcess.COPY_BACK).singleResult();
        assertThat(waiting.getErrorMessage()).contains("Copy back").contains("waits")
                .contains("waiting until " + windowEnd);
        assertThat(waiting.getRetries()).as("waiting spends no try").isEqualTo(3);
        assertThat((String) engine.getRuntimeService().getVariable(restoration.getId(),
                CopyBackStep.VAR_WINDOW_DECISION)).contains("estimated 60 min");
        assertThat(estate.boundTo(estate.consumers.get(0))).as("nothing moved yet").isEqualTo(estate.failover);

        moveClocks(Duration.between(clock.instant(), windowEnd.plus(Duration.ofMinutes(1))));
        jobs().runUntil(restoration, DatabaseRestorationProcess.VERIFY);
        assertThat(restoration).hasPassed(DatabaseRestorationProcess.COPY_BACK);
        assertThat(estate.boundTo(estate.consumers.get(0))).isEqualTo(estate.primary);
        assertThat(jdbc.sql("select kind || ':' || source from full_copy where database = ? order by id desc limit 1")
                .param(estate.primary).query(String.class).single()).isEqualTo("copy-back:" + estate.failover);
    }

    /**
     * Records a last full copy of the pair that moved what {@code primarySide ? primary : failover}
     * holds now in one hour, and registers the primary's grooming job to start in about half an hour
     * for 20 minutes; answers the end of that window.
     */
    private Instant slowLastCopyAndGroomingSoon(boolean primarySide) {
        long bytes = 0;
        for (var table : estate.schema.tables().tables()) {
            bytes += estate.count(primarySide, "select coalesce(sum(pg_table_size(relid)), 0) from pg_partition_tree("
                    + "to_regclass('" + estate.schema.name() + "." + table.name() + "'))");
        }
        jdbc.sql("""
                insert into full_copy (database, kind, source, bytes, rows_copied, duration_ms, finished_at)
                values (?, 'full-resync', ?, ?, 1000, 3600000, now())""")
                .params(estate.primary, estate.primary, bytes).update();
        Instant groomingStart = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(31));
        ZonedDateTime at = groomingStart.atZone(ZoneOffset.UTC);
        Api.Response put = api().as(Api.DBA).put("/api/databases/" + estate.primary + "/jobs",
                "{\"jobs\": [{\"name\": \"grooming\", \"grooming\": true, \"schedule\": \"" + at.getMinute() + " "
                        + at.getHour() + " * * *\", \"expectedDuration\": \"20m\"}]}");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        return groomingStart.plus(Duration.ofMinutes(20));
    }

    /**
     * A quick repair copies nothing back, but reinstalling the sync ends with a full copy of the
     * primary onto the failover database: it keeps out of the grooming window the same way.
     */
    @Test
    void theReinstallsFullCopyWaitsForTheGroomingWindowToo() throws Exception {
        dev.sco.orchestrator.SyncTriggers.scheduleFarAhead(scheduler, estate.primary);
        Api.Response requested = api().as(Api.DBA).post("/api/restorations", "{\"database\":\"" + estate.primary
                + "\",\"reason\":\"quick fix\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        ProcessInstance restoration = instance(requested.body().get("processInstanceId").asText());
        Decisions.completeAs(engine, "demo", "dba", task(restoration).getId(), Map.of("repairNote", "restarted"));
        Instant windowEnd = slowLastCopyAndGroomingSoon(true);

        jobs().runUntil(restoration, DatabaseRestorationProcess.VERIFY);
        estate.consumersFollowTheirBindings();
        jobs().run(restoration);
        assertThat(restoration).hasNotPassed(DatabaseRestorationProcess.COPY_BACK)
                .isWaitingAt(DatabaseRestorationProcess.REINSTALL_SYNC);
        ExternalTask waiting = engine.getExternalTaskService().createExternalTaskQuery()
                .processInstanceId(restoration.getId()).activityId(DatabaseRestorationProcess.REINSTALL_SYNC)
                .singleResult();
        assertThat(waiting.getErrorMessage()).contains("reinstall sync waits").contains("waiting until " + windowEnd);
        assertThat(waiting.getRetries()).as("waiting spends no try").isEqualTo(3);
        assertThat((String) engine.getRuntimeService().getVariable(restoration.getId(),
                ReinstallSyncStep.VAR_WINDOW_DECISION)).contains("estimated 60 min");
        assertThat(jdbc.sql("select acting_role from database_endpoint where name = ?").param(estate.failover)
                .query(String.class).single()).as("roles move only with the copy").isEqualTo("primary");

        moveClocks(Duration.between(clock.instant(), windowEnd.plus(Duration.ofMinutes(1))));
        jobs().run(restoration);
        assertThat(restoration).hasPassed(DatabaseRestorationProcess.REINSTALL_SYNC)
                .isWaitingAt(DatabaseRestorationProcess.TEST_AND_VERIFY);
        assertThat(jdbc.sql("select acting_role from database_endpoint where name = ?").param(estate.failover)
                .query(String.class).single()).isEqualTo("standby");
    }

    private void moveClocks(Duration by) {
        clock.advance(by);
        ClockUtil.setCurrentTime(Date.from(clock.instant()));
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
