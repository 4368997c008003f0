package dev.sco.orchestrator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.continuity.PairTables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An integer increment column: a run copies up to the largest value on the primary at its start,
 * and re-reads from the value recorded at least the overlap before its previous checkpoint.
 */
@OrchestratorTest
class GrowingValueIncrementTest {

    @Autowired
    SyncFixture fixture;
    @Autowired
    SyncService service;
    @Autowired
    SyncTables tables;
    @Autowired
    SyncRepository repository;
    @Autowired
    JdbcClient orchestrator;
    @Autowired
    MutableClock clock;

    private SyncPair pair;

    @BeforeEach
    void setUp() {
        fixture.outsideWindow(clock);
        pair = fixture.create();
        tables.replace(pair.primary(), new PairTables.TableList("monitored", List.of(
                new PairTables.Table("alert", "referenced", "id", false))), "test");
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void rangeStartsAtTheValueRecordedAnOverlapBeforeThePreviousCheckpoint() {
        SyncService.Outcome first = service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");
        assertThat(first.succeeded()).as(first.error()).isTrue();
        long largest = fixture.jdbc(pair.primary()).sql("select max(id) from monitored.alert").query(Long.class).single();
        assertThat(values()).containsExactly(String.valueOf(largest));
        assertThat(fixture.count(pair.failover(), "alert")).isEqualTo(fixture.count(pair.primary(), "alert"));

        // As if the first run were two hours old and a run had passed one hour ago.
        orchestrator.sql("update sync_checkpoint_value set checkpoint = checkpoint - interval '2 hours' where database = ?")
                .param(pair.primary()).update();
        orchestrator.sql("update sync_checkpoint set checkpoint = checkpoint - interval '1 hour' where database = ?")
                .param(pair.primary()).update();
        // A row already copied disappears from the failover side: outside the next range, it is not copied again.
        fixture.jdbc(pair.failover()).sql("delete from monitored.alert where id = 1").update();
        fixture.jdbc(pair.primary()).sql("""
                insert into monitored.alert (computer_id, rule_id, severity, state, raised_at)
                select computer_id, rule_id, 1, 'new', now() from monitored.alert order by id limit 7""").update();

        SyncService.Outcome second = service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");

        assertThat(second.succeeded()).as(second.error()).isTrue();
        SyncRepository.Task task = repository.runs(pair.primary(), 1).get(0).tasks().get(0);
        assertThat(task.valueAfter()).isEqualTo(String.valueOf(largest));
        assertThat(task.valueUpTo()).isEqualTo(String.valueOf(largest + 7));
        assertThat(task.rowsCopied()).isEqualTo(7);
        assertThat(task.rangeAfter()).isNull();
        assertThat(fixture.count(pair.failover(), "alert")).isEqualTo(fixture.count(pair.primary(), "alert") - 1);
        // The two-hour-old value is the newest at least an overlap before this checkpoint: kept, with the new one.
        assertThat(values()).containsExactly(String.valueOf(largest), String.valueOf(largest + 7));

        SyncService.Outcome full = service.runNow(pair.primary(), SyncService.Kind.FULL, "test");
        assertThat(full.succeeded()).as(full.error()).isTrue();
        assertThat(fixture.contents(pair.failover()).get("alert")).isEqualTo(fixture.contents(pair.primary()).get("alert"));
    }

    private List<String> values() {
        return orchestrator.sql("select value from sync_checkpoint_value where database = ? order by checkpoint")
                .param(pair.primary()).query(String.class).list();
    }
}
