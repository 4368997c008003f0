package dev.sco.orchestrator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Sync runs between two real PostgreSQL servers: every table kind, late commits, failing tasks. */
@OrchestratorTest
class SyncRunTest {

    @Autowired
    SyncService service;
    @Autowired
    SyncRepository repository;
    @Autowired
    SyncFixture fixture;
    @Autowired
    MutableClock clock;
    @Autowired
    PlatformTransactionManager transactionManager;

    private SyncPair pair;

    @BeforeEach
    void setUp() {
        fixture.outsideWindow(clock);
        pair = fixture.create();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void copiesEveryTableKindAndThenOnlyWhatChanged() {
        // Sample rows written a day ago, so the second run's overlap holds only what changed since.
        writtenADayAgo(List.of("alert", "alert_history", "alert_event", "event", "event_parameter", "sample_numeric"));
        SyncService.Outcome first = service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");

        assertThat(first.succeeded()).as(first.error()).isTrue();
        assertThat(fixture.contents(pair.failover())).isEqualTo(fixture.contents(pair.primary()));
        assertThat(fixture.count(pair.failover(), "event")).isPositive();
        SyncRepository.Run run = repository.runs(pair.primary(), 1).get(0);
        assertThat(run.tasks()).hasSize(SyncFixture.tableNames().size())
                .allMatch(t -> t.result().equals("succeeded"));
        assertThat(repository.checkpoints(pair.primary())).hasSize(SyncFixture.tableNames().size())
                .allSatisfy((table, checkpoint) -> assertThat(checkpoint).isEqualTo(run.checkpoint()));

        var primary = fixture.jdbc(pair.primary());
        primary.sql("update monitored.computer_lookup set health_state = 'critical' where id in (select id from monitored.computer_lookup order by id limit 3)").update();
        primary.sql("update monitored.rule_config set threshold = 42 where id = (select min(id) from monitored.rule_config)").update();
        primary.sql("""
                insert into monitored.alert (computer_id, rule_id, severity, state, raised_at)
                select computer_id, rule_id, severity, 'new', now() from monitored.alert order by id limit 5""").update();
        primary.sql("""
                insert into monitored.event (computer_id, severity, message, event_time)
                select computer_id, severity, 'again', now() from monitored.event order by id limit 7""").update();

        SyncService.Outcome second = service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");

        assertThat(second.succeeded()).as(second.error()).isTrue();
        assertThat(fixture.contents(pair.failover())).isEqualTo(fixture.contents(pair.primary()));
        SyncRepository.Run incremental = repository.runs(pair.primary(), 1).get(0);
        Map<String, Long> copied = new java.util.HashMap<>();
        incremental.tasks().forEach(t -> copied.put(t.table(), t.rowsCopied()));
        // Incremental tables re-read only the overlap, the changed lookup rows replace their old versions.
        assertThat(copied.get("monitored.event")).isEqualTo(7);
        assertThat(copied.get("monitored.alert")).isEqualTo(5);
        assertThat(copied.get("monitored.sample_numeric")).isZero();
        assertThat(copied.get("monitored.computer_lookup")).isEqualTo(3);
        assertThat(fixture.count(pair.failover(), "computer_lookup"))
                .isEqualTo(fixture.count(pair.primary(), "computer_lookup"));
    }

    /** Moves the sample rows of these incremental tables, and the lookup rows, a day back. */
    private void writtenADayAgo(List<String> tables) {
        var primary = fixture.jdbc(pair.primary());
        for (String table : tables) {
            primary.sql("update monitored." + table + " set created_at = created_at - interval '1 day'").update();
        }
        primary.sql("alter table monitored.computer_lookup disable trigger computer_lookup_touch").update();
        primary.sql("update monitored.computer_lookup set updated_at = updated_at - interval '1 day'").update();
        primary.sql("alter table monitored.computer_lookup enable trigger computer_lookup_touch").update();
    }

    @Test
    void aRangeEmptyOnThePrimaryStillRemovesWhatTheFailoverHoldsInIt() {
        // Every alert_event row is younger than the overlap, the other tables' rows are older.
        writtenADayAgo(List.of("alert", "alert_history", "event", "event_parameter", "sample_numeric"));
        assertThat(service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test").succeeded()).isTrue();
        assertThat(fixture.count(pair.failover(), "alert_event")).isPositive();
        // The next run's range of alert_event is empty on the primary, not on the failover database.
        fixture.jdbc(pair.primary()).sql("delete from monitored.alert_event").update();

        SyncService.Outcome second = service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");

        assertThat(second.succeeded()).as(second.error()).isTrue();
        assertThat(fixture.count(pair.failover(), "alert_event")).isZero();
        assertThat(fixture.contents(pair.failover())).isEqualTo(fixture.contents(pair.primary()));

        // Nothing new anywhere: every task succeeds, copies nothing and moves its checkpoint.
        SyncService.Outcome third = service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");

        assertThat(third.succeeded()).as(third.error()).isTrue();
        SyncRepository.Run run = repository.runs(pair.primary(), 1).get(0);
        assertThat(run.tasks()).allMatch(t -> t.result().equals("succeeded"));
        assertThat(run.tasks()).filteredOn(t -> !t.kind().equals("whole")).allMatch(t -> t.rowsCopied() == 0);
        assertThat(repository.checkpoints(pair.primary()))
                .allSatisfy((table, checkpoint) -> assertThat(checkpoint).isEqualTo(run.checkpoint()));
        assertThat(fixture.contents(pair.failover())).isEqualTo(fixture.contents(pair.primary()));
    }

    @Test
    void theRunLogKeepsARunWhoseCallersTransactionRollsBack() {
        // As an engine job does when the full resynchronisation it runs is retried.
        SyncService.Outcome outcome = new TransactionTemplate(transactionManager).execute(tx -> {
            SyncService.Outcome inside = service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");
            tx.setRollbackOnly();
            return inside;
        });

        assertThat(outcome.succeeded()).as(outcome.error()).isTrue();
        SyncRepository.Run run = repository.runs(pair.primary(), 1).get(0);
        assertThat(run.id()).isEqualTo(outcome.runId());
        assertThat(run.tasks()).hasSize(SyncFixture.tableNames().size())
                .allMatch(t -> t.result().equals("succeeded"));
        assertThat(repository.checkpoints(pair.primary())).hasSize(SyncFixture.tableNames().size())
                .allSatisfy((table, checkpoint) -> assertThat(checkpoint).isEqualTo(run.checkpoint()));
        assertThat(repository.state(pair.primary()).orElseThrow().running()).isFalse();
    }

    @Test
    void rowsCommittedLateWithOlderTimestampsAreNotLost() throws Exception {
        assertThat(service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test").succeeded()).isTrue();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong committed = new AtomicLong();
        ExecutorService writers = Executors.newFixedThreadPool(3);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            done.add(writers.submit(() -> {
                try (Connection connection = fixture.dataSource(pair.primary()).getConnection()) {
                    connection.setAutoCommit(false);
                    while (writing.get()) {
                        // The increment value is taken when the transaction starts; the commit comes later.
                        int age = ThreadLocalRandom.current().nextInt(0, 60);
                        try (PreparedStatement event = connection.prepareStatement("""
                                insert into monitored.event (computer_id, severity, message, event_time, created_at)
                                values (1, 2, 'late', now(), now() - make_interval(secs => ?))""");
                             PreparedStatement alert = connection.prepareStatement("""
                                insert into monitored.alert (computer_id, rule_id, severity, state, raised_at, created_at)
                                values (1, 1, 1, 'new', now(), now() - make_interval(secs => ?))""")) {
                            event.setInt(1, age);
                            event.executeUpdate();
                            alert.setInt(1, age);
                            alert.executeUpdate();
                        }
                        Thread.sleep(ThreadLocalRandom.current().nextInt(20, 400));
                        connection.commit();
                        committed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        try {
            for (int i = 0; i < 6; i++) {
                SyncService.Outcome outcome = service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");
                assertThat(outcome.succeeded()).as(outcome.error()).isTrue();
                Thread.sleep(150);
            }
        } finally {
            writing.set(false);
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            writers.shutdownNow();
        }
        assertThat(service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test").succeeded()).isTrue();

        assertThat(committed.get()).isGreaterThan(10);
        assertThat(fixture.contents(pair.failover())).isEqualTo(fixture.contents(pair.primary()));
    }

    @Test
    void failedTaskStopsTheRunAndKeepsLaterCheckpoints() {
        assertThat(service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test").succeeded()).isTrue();
        Map<String, Instant> before = repository.checkpoints(pair.primary());
        // Task 3 (alert_history) cannot copy into a table that lost a column.
        fixture.jdbc(pair.failover()).sql("alter table monitored.alert_history drop column changed_by").update();

        SyncService.Outcome failed = service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");

        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.error()).contains("monitored.alert_history").contains("changed_by");
        assertThat(failed.consecutiveFailures()).isEqualTo(1);
        SyncRepository.Run run = repository.runs(pair.primary(), 1).get(0);
        assertThat(run.result()).isEqualTo("failed");
        assertThat(run.tasks()).extracting(SyncRepository.Task::result)
                .containsExactly("succeeded", "succeeded", "succeeded", "failed");
        assertThat(run.tasks().get(3).error()).isNotBlank();
        Map<String, Instant> after = repository.checkpoints(pair.primary());
        List<String> order = SyncFixture.tableNames().stream().map(t -> "monitored." + t.name()).toList();
        for (int i = 0; i < order.size(); i++) {
            if (i < 3) {
                assertThat(after.get(order.get(i))).as(order.get(i)).isEqualTo(run.checkpoint());
            } else {
                assertThat(after.get(order.get(i))).as(order.get(i)).isEqualTo(before.get(order.get(i)));
            }
        }
        assertThat(repository.state(pair.primary()).orElseThrow().running()).isFalse();
    }

    @Test
    void configurationNamingAMissingColumnFailsTheRunNamingIt() {
        fixture.jdbc(pair.primary()).sql("alter table monitored.sample_numeric rename column created_at to made_at")
                .update();

        SyncService.Outcome outcome = service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.error()).contains("column created_at of table monitored.sample_numeric does not exist");
        assertThat(repository.runs(pair.primary(), 1).get(0).tasks()).isEmpty();
    }

    @Test
    void everyProblemOfTheConfiguredTablesIsNamedBeforeAnyTaskRuns() {
        var primary = fixture.jdbc(pair.primary());
        primary.sql("alter table monitored.alert_event rename to alert_event_old").update();
        primary.sql("alter table monitored.event_parameter alter column created_at type text").update();
        primary.sql("alter table monitored.computer_lookup drop constraint computer_lookup_pkey").update();
        primary.sql("alter table monitored.computer add column \"Site Code\" text").update();

        SyncService.Outcome outcome = service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.error()).contains(
                "table monitored.alert_event does not exist on the primary; "
                        + "increment column created_at of table monitored.event_parameter is text; it must be timestamptz, "
                        + "timestamp, smallint, integer or bigint; lookup table monitored.computer_lookup has no primary key on the primary");
        assertThat(outcome.error()).contains("table monitored.computer on the primary: Not an allowed SQL identifier")
                .contains("'Site Code'");
        assertThat(repository.runs(pair.primary(), 1).get(0).tasks()).isEmpty();
    }
}
