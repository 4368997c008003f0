package dev.sco.orchestrator.platform.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class SampleDataGeneratorTest {

    private static EmbeddedPostgres server;
    private static DataSource db;
    private static JdbcClient jdbc;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedPostgres.builder().start();
        db = server.getPostgresDatabase();
        jdbc = JdbcClient.create(db);
        SampleSchema.install(db, "sample");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void emptySchema() {
        jdbc.sql("truncate " + String.join(", ", SampleSchema.TABLES.stream().map(t -> "monitored." + t.name()).toList())
                + " restart identity").update();
    }

    @Test
    void fillsEveryTableWithExactCountsSpreadOverTheDaysBeforeNow() {
        SampleSchema.install(db, "sample");
        Instant now = Instant.parse("2026-03-10T12:00:00Z");

        SampleCounts first = SampleDataGenerator.generate(db, now, 120, 480, 3);

        assertThat(first.byTable()).hasSize(9).containsAllEntriesOf(Map.of(
                "rule_config", 10L, "computer", 20L, "computer_lookup", 20L, "alert", 120L, "alert_history", 240L,
                "alert_event", 120L, "event", 1440L, "event_parameter", 2880L, "sample_numeric", 1440L));
        first.byTable().forEach((table, rows) -> assertThat(count(table)).as(table).isEqualTo(rows));
        assertThat(jdbc.sql("select min(event_time) = :start and max(event_time) < :now from monitored.event")
                .param("start", java.sql.Timestamp.from(now.minus(Duration.ofDays(3))))
                .param("now", java.sql.Timestamp.from(now))
                .query(Boolean.class).single()).isTrue();
        // Each day of the range got its share of events, in its own partition.
        assertThat(jdbc.sql("select count(*) from monitored.event_20260308").query(Long.class).single()).isEqualTo(480);
        assertThat(jdbc.sql("""
                select count(*) from monitored.alert_event l
                join monitored.event e on e.id = l.event_id and e.event_time = l.event_time""").query(Long.class).single())
                .isEqualTo(120);

        SampleCounts second = SampleDataGenerator.generate(db, now.plus(1, ChronoUnit.HOURS), 10, 24, 1);
        assertThat(second.ruleConfigs()).isZero();
        assertThat(second.computers()).isZero();
        assertThat(second.computerLookups()).isZero();
        assertThat(second.alerts()).isEqualTo(10);
        assertThat(second.alertEvents()).isEqualTo(10);
        assertThat(second.events()).isEqualTo(24);
        assertThat(count("event")).isEqualTo(1464);
    }

    @Test
    void withoutEventsAlertsHaveNoEventLinks() {
        SampleCounts counts = SampleDataGenerator.generate(db, Instant.now(), 5, 0, 1);
        assertThat(counts.alerts()).isEqualTo(5);
        assertThat(counts.alertHistory()).isEqualTo(10);
        assertThat(counts.alertEvents()).isZero();
        assertThat(counts.events()).isZero();
    }

    @Test
    void rejectsNegativeSizes() {
        assertThatThrownBy(() -> SampleDataGenerator.generate(db, Instant.now(), -1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SampleDataGenerator.generate(db, Instant.now(), 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static long count(String table) {
        return jdbc.sql("select count(*) from monitored." + table).query(Long.class).single();
    }
}
