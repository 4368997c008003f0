package dev.sco.orchestrator.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.Decisions;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.continuity.SyncControl;
import dev.sco.orchestrator.platform.longstep.LongStepWorker;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The maintenance window of a pair follows its primary's grooming job once one is registered with a
 * schedule (each start for its expected duration, instead of the fixed nightly slot), and a full copy
 * starts only if its estimate from the last full copy's rate ends before the next window: otherwise
 * it waits for the window's end (the long step is given back, its tries untouched) and says why. The
 * clocks are moved; nothing sleeps.
 */
@OrchestratorTest
class GroomingWindowTest {

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    SyncService service;
    @Autowired
    SyncRepository repository;
    @Autowired
    SyncFixture fixture;
    @Autowired
    FullCopyWindow fullCopies;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient orchestrator;
    @Autowired
    LongStepWorker longSteps;
    @Autowired
    SyncSettings settings;
    @Autowired
    org.quartz.Scheduler scheduler;
    @Autowired
    dev.sco.orchestrator.platform.target.TargetDatabases targets;
    @Autowired
    dev.sco.orchestrator.platform.continuity.GroomingSchedules grooming;

    private SyncPair pair;

    @BeforeEach
    void setUp() {
        BpmnAwareTests.init(engine);
        fixture.outsideWindow(clock);
        ClockUtil.setCurrentTime(Date.from(clock.instant()));
        pair = fixture.create();
    }

    @AfterEach
    void resetClocks() {
        clock.reset();
        ClockUtil.reset();
    }

    @Test
    void theWindowFollowsTheGroomingJobInsteadOfTheFixedSlot() {
        Instant fixedStart = service.window().nextStart(clock.instant());
        // Grooming three hours after the fixed slot starts (so the two never overlap), for 30 minutes.
        Instant groomingStart = fixedStart.plus(Duration.ofHours(3));
        registerGrooming(groomingStart, "30m");
        assertThat(service.window(pair.primary())).isInstanceOf(GroomingWindow.class);
        assertThat(new Api(port).get("/api/sync/" + pair.primary() + "/runs").body().get("maintenanceWindow").asText())
                .contains("grooming job grooming").contains("30 min");

        moveClocksTo(fixedStart.plus(Duration.ofMinutes(10)));
        assertThat(service.window().contains(clock.instant())).as("inside the fixed slot").isTrue();
        assertThat(service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test").succeeded())
                .as("the fixed slot no longer applies to this pair").isTrue();

        moveClocksTo(groomingStart.plus(Duration.ofMinutes(5)));
        assertThatThrownBy(() -> service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test"))
                .hasMessageContaining("maintenance window (grooming job grooming")
                .hasMessageContaining("ends at " + groomingStart.plus(Duration.ofMinutes(30)));
        SyncControl.FullCopyPlan inside = fullCopies.plan(pair.primary(), pair.primary());
        assertThat(inside.start()).isFalse();
        assertThat(inside.notBefore()).isEqualTo(groomingStart.plus(Duration.ofMinutes(30)));

        moveClocksTo(groomingStart.plus(Duration.ofMinutes(31)));
        assertThat(service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test").succeeded()).isTrue();
        // No full copy measured for this pair yet: the first one may start whatever the window.
        SyncControl.FullCopyPlan first = fullCopies.plan(pair.primary(), pair.primary());
        assertThat(first.start()).isTrue();
        assertThat(first.reason()).contains("no full copy of the pair measured yet");

        // Removing the schedule brings the fixed slot back.
        registerJobs("{\"jobs\": [{\"name\": \"grooming\", \"grooming\": true}]}");
        assertThat(service.window(pair.primary())).isInstanceOf(MaintenanceWindow.class);
    }

    @Test
    void aFullCopyThatWouldRunIntoTheWindowWaitsForItsEndAndThenRuns() {
        assertThat(service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test").succeeded()).isTrue();
        // The last full copy of this pair moved as much as the tables hold now in one hour.
        long bytes = fullCopies.sourceBytes(pair.primary(), pair.primary());
        assertThat(bytes).isPositive();
        orchestrator.sql("""
                insert into full_copy (database, kind, source, bytes, rows_copied, duration_ms, finished_at)
                values (?, 'full-resync', ?, ?, 1000, 3600000, now())""")
                .params(pair.primary(), pair.primary(), bytes).update();

        // A window in three hours: a copy of one hour fits before it and starts.
        Instant now = clock.instant();
        registerGrooming(now.plus(Duration.ofHours(3)), "20m");
        SyncControl.FullCopyPlan fits = fullCopies.plan(pair.primary(), pair.primary());
        assertThat(fits.start()).as(fits.reason()).isTrue();
        assertThat(fits.reason()).contains("estimated 60 min").contains("before the maintenance window");

        // A window in 30 minutes: the one-hour copy would run into it and waits for its end.
        Instant groomingStart = minute(now.plus(Duration.ofMinutes(30)));
        Instant windowEnd = groomingStart.plus(Duration.ofMinutes(20));
        registerGrooming(groomingStart, "20m");
        ProcessInstance recovery = approvedRecovery();
        assertThat(recovery).isWaitingAt(SyncRecoveryProcess.FULL_RESYNC);
        longSteps.runDue();

        assertThat(recovery).isWaitingAt(SyncRecoveryProcess.FULL_RESYNC);
        ExternalTask waiting = externalTask(recovery);
        assertThat(waiting.getErrorMessage()).contains("waits").contains("would end at")
                .contains("waiting until " + windowEnd);
        assertThat(waiting.getRetries()).as("waiting spends no try").isEqualTo(6);
        assertThat(waiting.getLockExpirationTime().toInstant()).isAfter(windowEnd.minusSeconds(60));
        assertThat((String) engine.getRuntimeService().getVariable(recovery.getId(),
                FullResyncStep.VAR_WINDOW_DECISION)).contains("waiting until " + windowEnd);
        assertThat(repository.runs(pair.primary(), 10)).noneMatch(r -> r.kind().equals("full"));

        // Still waiting inside the window.
        moveClocksTo(groomingStart.plus(Duration.ofMinutes(5)));
        longSteps.runDue();
        assertThat(recovery).isWaitingAt(SyncRecoveryProcess.FULL_RESYNC);
        assertThat(repository.runs(pair.primary(), 10)).noneMatch(r -> r.kind().equals("full"));

        // After the window the copy runs, and its own rate is recorded for the next estimate.
        moveClocksTo(windowEnd.plus(Duration.ofMinutes(1)));
        longSteps.runDue();
        assertThat(recovery).hasPassed(SyncRecoveryProcess.FULL_RESYNC);
        assertThat(repository.runs(pair.primary(), 1).get(0).kind()).isEqualTo("full");
        FullCopyWindow.LastCopy last = fullCopies.last(pair.primary()).orElseThrow();
        assertThat(last.kind()).isEqualTo("full-resync");
        assertThat(last.rows()).isPositive();
        assertThat(last.bytes()).isPositive();
        assertThat(last.took().toHours()).as("measured, not the hour inserted above").isZero();
    }

    @Test
    void theTriggerOfAScheduledPairFollowsTheGroomingWindowWhenItIsRegisteredOrRemoved() throws Exception {
        // As a node with the schedule on (tests run with it off).
        SyncSettings on = new SyncSettings(settings.interval(), settings.overlap(), settings.staleAfter(), "00:00", 60,
                "UTC", settings.failuresBeforeRecovery(), settings.copyTimeout(), true, java.util.Map.of());
        SyncSchedule schedule = new SyncSchedule(scheduler, on, targets, repository, clock, new PairWindows(grooming, on));
        try {
            schedule.ensure(pair.primary());
            assertThat(scheduler.getTrigger(SyncSchedule.key(pair.primary())).getCalendarName())
                    .as("the fixed slot, as a Quartz calendar").isEqualTo(SyncSchedule.CALENDAR);

            Instant groomingStart = minute(clock.instant().plus(Duration.ofHours(2)));
            registerGrooming(groomingStart, "40m");
            schedule.groomingChanged(new dev.sco.orchestrator.platform.continuity.GroomingSchedules.Changed(
                    pair.primary()));
            org.quartz.Trigger trigger = scheduler.getTrigger(SyncSchedule.key(pair.primary()));
            assertThat(trigger.getCalendarName()).as("a cron window is skipped by the runs themselves").isNull();
            // Ticks are aligned on the end of the grooming window.
            Instant end = groomingStart.plus(Duration.ofMinutes(40));
            long offset = Duration.between(trigger.getStartTime().toInstant(), end).toMillis();
            assertThat(offset % on.interval().toMillis()).isZero();

            registerJobs("{\"jobs\": []}");
            schedule.groomingChanged(new dev.sco.orchestrator.platform.continuity.GroomingSchedules.Changed(
                    pair.primary()));
            assertThat(scheduler.getTrigger(SyncSchedule.key(pair.primary())).getCalendarName())
                    .isEqualTo(SyncSchedule.CALENDAR);
        } finally {
            scheduler.unscheduleJob(SyncSchedule.key(pair.primary()));
        }
    }

    private ProcessInstance approvedRecovery() {
        fixture.jdbc(pair.failover()).sql("alter table monitored.rule_config drop column threshold").update();
        for (int run = 1; run <= 3; run++) {
            service.runScheduled(pair.primary());
        }
        ProcessInstance recovery = engine.getRuntimeService().createProcessInstanceQuery()
                .processDefinitionKey(SyncRecoveryProcess.KEY).processInstanceBusinessKey(pair.primary())
                .singleResult();
        assertThat(recovery).isWaitingAt(SyncRecoveryProcess.APPROVE_RESYNC);
        fixture.jdbc(pair.failover()).sql("alter table monitored.rule_config add column threshold double precision")
                .update();
        fixture.jdbc(pair.failover()).sql("alter table monitored.rule_config drop column created_at, "
                + "drop column updated_at").update();
        fixture.jdbc(pair.failover()).sql("alter table monitored.rule_config add column created_at timestamptz "
                + "not null default now(), add column updated_at timestamptz not null default now()").update();
        Decisions.completeAs(engine, "dba", "dba", task(SyncRecoveryProcess.APPROVE_RESYNC, recovery).getId(),
                withVariables(SyncRecoveryProcess.VAR_APPROVED, true));
        return recovery;
    }

    private ExternalTask externalTask(ProcessInstance instance) {
        return engine.getExternalTaskService().createExternalTaskQuery().processInstanceId(instance.getId())
                .singleResult();
    }

    /** A grooming job on the primary that starts daily at {@code start}'s time of day (UTC). */
    private void registerGrooming(Instant start, String duration) {
        ZonedDateTime at = start.atZone(ZoneOffset.UTC);
        registerJobs("{\"jobs\": [{\"name\": \"grooming\", \"grooming\": true, \"schedule\": \"" + at.getMinute() + " "
                + at.getHour() + " * * *\", \"scheduleZone\": \"UTC\", \"expectedDuration\": \"" + duration + "\"}]}");
    }

    private void registerJobs(String body) {
        Api.Response put = new Api(port).as(Api.DBA).put("/api/databases/" + pair.primary() + "/jobs", body);
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
    }

    private static Instant minute(Instant at) {
        return at.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    }

    private void moveClocksTo(Instant at) {
        Duration by = Duration.between(clock.instant(), at);
        assertThat(by).as("clocks only move forward").isPositive();
        clock.advance(by);
        ClockUtil.setCurrentTime(Date.from(clock.instant()));
    }
}
