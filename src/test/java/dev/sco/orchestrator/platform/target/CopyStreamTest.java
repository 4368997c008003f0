package dev.sco.orchestrator.platform.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.sco.orchestrator.platform.demo.SampleCounts;
import dev.sco.orchestrator.platform.demo.SampleDataGenerator;
import dev.sco.orchestrator.platform.demo.SampleSchema;
import dev.sco.orchestrator.platform.demo.SampleTable;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Copies the sample schema between two real PostgreSQL servers, the target made a sync target. */
class CopyStreamTest {

    private static final String SCHEMA = SampleSchema.SCHEMA;

    private static EmbeddedPostgres sourceServer;
    private static EmbeddedPostgres targetServer;
    private static DataSource source;
    private static DataSource target;

    @BeforeAll
    static void startServers() throws Exception {
        sourceServer = EmbeddedPostgres.builder().start();
        targetServer = EmbeddedPostgres.builder().start();
        source = sourceServer.getPostgresDatabase();
        target = targetServer.getPostgresDatabase();
        SampleSchema.install(source, "source");
        SampleSchema.install(target, "target");
        ScriptExecutor.execute(target, "target", SqlScript.operational("make-sync-target"), Map.of("schema", "monitored"), false);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        SampleSchema.ensurePartitions(target, today.minusDays(5), today.plusDays(2));
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (sourceServer != null) {
            sourceServer.close();
        }
        if (targetServer != null) {
            targetServer.close();
        }
    }

    @Test
    void copiesEveryKindOfTableWithExactCountsAndContent() throws Exception {
        emptyTarget();
        Instant now = Instant.now();
        SampleCounts generated = SampleDataGenerator.generate(source, now, 250, 300, 2);

        for (SampleTable table : SampleSchema.TABLES) {
            CopyResult result = CopyStream.copy(source, target, CopyRequest.table(SCHEMA, table.name()));
            assertThat(result.rows()).as(table.name()).isEqualTo(count(source, table.name())).isPositive();
            assertThat(result.bytes()).isPositive();
            assertThat(checksum(target, table.name())).as(table.name()).isEqualTo(checksum(source, table.name()));
        }
        assertThat(count(target, "event")).isEqualTo(600).isEqualTo(generated.events());
        assertThat(count(target, "event_parameter")).isEqualTo(1200);
        assertThat(count(target, "alert_history")).isEqualTo(500);
    }

    @Test
    void copiesOnlyTheRowsOfARangeForIncrementalLoads() throws Exception {
        emptyTarget();
        SampleDataGenerator.generate(source, Instant.now(), 40, 100, 1);
        Instant checkpoint = JdbcClient.create(source).sql("select max(created_at) from monitored.event")
                .query(java.sql.Timestamp.class).single().toInstant();
        CopyStream.copy(source, target, CopyRequest.table(SCHEMA, "event").withRange(RowRange.between("created_at", null, checkpoint)));
        long before = count(target, "event");

        SampleCounts added = SampleDataGenerator.generate(source, Instant.now(), 10, 70, 1);
        Instant next = JdbcClient.create(source).sql("select max(created_at) from monitored.event")
                .query(java.sql.Timestamp.class).single().toInstant();
        CopyResult increment = CopyStream.copy(source, target,
                CopyRequest.table(SCHEMA, "event").withRange(RowRange.between("created_at", checkpoint, next)));

        assertThat(increment.rows()).isEqualTo(added.events()).isEqualTo(70);
        assertThat(count(target, "event")).isEqualTo(before + 70).isEqualTo(count(source, "event"));
        assertThat(checksum(target, "event")).isEqualTo(checksum(source, "event"));
    }

    @Test
    void copiesAnIdRangeIntoAnotherTableWithChosenColumns() {
        emptyTarget();
        SampleDataGenerator.generate(source, Instant.now(), 30, 10, 1);
        long minId = JdbcClient.create(source).sql("select min(id) from monitored.alert").query(Long.class).single();
        JdbcClient.create(target).sql("create table if not exists public.alert_ids (id bigint, state varchar(16))").update();
        JdbcClient.create(target).sql("truncate public.alert_ids").update();

        CopyResult result = CopyStream.copy(source, target, CopyRequest.table(SCHEMA, "alert")
                .into(TableRef.of("public", "alert_ids"))
                .withColumns(List.of("id", "state"))
                .withRange(RowRange.between("id", minId + 9, minId + 19)));

        assertThat(result.rows()).isEqualTo(10);
        assertThat(JdbcClient.create(target).sql("select min(id), max(id) from public.alert_ids")
                .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2))).single())
                .containsExactly(minId + 10, minId + 19);
    }

    @Test
    void reportsProgressWhileCopyingAndTheFinalCountAtTheEnd() {
        emptyTarget();
        SampleDataGenerator.generate(source, Instant.now(), 0, 5000, 1);
        List<long[]> calls = new ArrayList<>();
        CopyResult result = CopyStream.copy(source, target, CopyRequest.table(SCHEMA, "sample_numeric")
                .withProgress(16 * 1024, (rows, bytes) -> calls.add(new long[] {rows, bytes})));

        assertThat(calls).hasSizeGreaterThan(3);
        assertThat(calls.get(calls.size() - 1)).containsExactly(result.rows(), result.bytes());
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i)[1]).isGreaterThan(calls.get(i - 1)[1]);
            assertThat(calls.get(i)[0]).isGreaterThanOrEqualTo(calls.get(i - 1)[0]);
        }
        assertThat(calls.get(calls.size() - 2)[0]).isLessThanOrEqualTo(result.rows());
    }

    @Test
    void leavesTheTargetTransactionToTheCallerWhenGivenConnections() throws Exception {
        emptyTarget();
        SampleDataGenerator.generate(source, Instant.now(), 20, 0, 1);
        try (Connection from = source.getConnection(); Connection to = target.getConnection()) {
            to.setAutoCommit(false);
            CopyResult result = CopyStream.copy(from, to, CopyRequest.table(SCHEMA, "alert")
                    .withStatementTimeout(Duration.ofMinutes(10)));
            assertThat(result.rows()).isEqualTo(count(source, "alert"));
            to.rollback();
        }
        assertThat(count(target, "alert")).isZero();

        try (Connection from = source.getConnection(); Connection to = target.getConnection()) {
            assertThatThrownBy(() -> CopyStream.copy(from, to, CopyRequest.table(SCHEMA, "alert")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auto-commit");
        }
    }

    @Test
    void aFailingCopyLeavesTheTargetUnchanged() {
        emptyTarget();
        SampleDataGenerator.generate(source, Instant.now(), 20, 0, 1);
        JdbcClient.create(target).sql("create table if not exists public.narrow (id integer)").update();

        assertThatThrownBy(() -> CopyStream.copy(source, target, CopyRequest.table(SCHEMA, "alert")
                .into(TableRef.of("public", "narrow")).withColumns(List.of("id"))))
                .isInstanceOf(TargetDatabaseException.class);
        assertThat(JdbcClient.create(target).sql("select count(*) from public.narrow").query(Long.class).single()).isZero();
    }

    @Test
    void acceptsOnlyPlainLowerCaseIdentifiers() {
        assertThatThrownBy(() -> TableRef.of("monitored", "alert; drop table x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alert; drop table x");
        assertThatThrownBy(() -> TableRef.of("Monitored", "alert")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CopyRequest.table(SCHEMA, "alert").withColumns(List.of("id\" from x --")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RowRange.between("created_at", "2020-01-01", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SqlIdentifiers.quote("alert_history")).isEqualTo("\"alert_history\"");
    }

    private static void emptyTarget() {
        JdbcClient.create(source).sql("truncate " + String.join(", ", SampleSchema.TABLES.stream()
                .map(t -> "monitored." + t.name()).toList()) + " restart identity cascade").update();
        JdbcClient.create(target).sql("truncate " + String.join(", ", SampleSchema.TABLES.stream()
                .map(t -> "monitored." + t.name()).toList())).update();
    }

    private static long count(DataSource ds, String table) {
        return JdbcClient.create(ds).sql("select count(*) from monitored." + table).query(Long.class).single();
    }

    /** Order-independent digest of every row's text form. */
    private static String checksum(DataSource ds, String table) {
        return JdbcClient.create(ds).sql("select coalesce(md5(string_agg(t::text, '|' order by t::text)), 'empty') "
                + "from monitored." + table + " t").query(String.class).single();
    }
}
