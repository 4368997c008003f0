package dev.sco.orchestrator.platform.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import javax.sql.DataSource;

import dev.sco.orchestrator.platform.demo.SampleDataGenerator;
import dev.sco.orchestrator.platform.demo.SampleSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class MakeSyncTargetScriptTest {

    private static EmbeddedPostgres server;
    private static DataSource db;
    private static JdbcClient jdbc;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedPostgres.builder().start();
        db = server.getPostgresDatabase();
        jdbc = JdbcClient.create(db);
        SampleSchema.install(db, "failover");
        SampleDataGenerator.generate(db, Instant.now(), 20, 50, 1);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void removesForeignKeysUniqueIndexesAndEnabledTriggersAndSavesTheirDefinitions() {
        assertThat(foreignKeys()).isPositive();
        assertThat(uniqueIndexes()).isPositive();
        long triggersBefore = enabledUserTriggers();
        assertThat(triggersBefore).isEqualTo(4);

        ScriptRun run = makeSyncTarget();

        assertThat(run.statements()).hasSize(7);
        assertThat(foreignKeys()).isZero();
        assertThat(uniqueIndexes()).isZero();
        assertThat(enabledUserTriggers()).isZero();
        assertThat(jdbc.sql("select count(*) from sco_sync.saved_constraint where constraint_type = 'f'")
                .query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("select definition from sco_sync.saved_index where index_name = 'computer_domain_name_uq'")
                .query(String.class).single()).startsWith("CREATE UNIQUE INDEX computer_domain_name_uq ON monitored.computer");
        assertThat(jdbc.sql("select count(*) from sco_sync.disabled_trigger").query(Long.class).single())
                .isEqualTo(triggersBefore);
        // Non-unique replacements keep lookups indexed, on every partition too.
        assertThat(jdbc.sql("""
                select count(*) from pg_indexes where schemaname = 'monitored' and indexname like 'event_pkey_nu%'
                   or (schemaname = 'monitored' and tablename like 'event_2%' and indexdef like '%(event_time, id)%')""")
                .query(Long.class).single()).isGreaterThan(1);

        // What a sync target is for: rows arriving again, children before parents, without failing.
        jdbc.sql("insert into monitored.alert_history (alert_id, state, changed_by) values (-1, 'new', 'sync')").update();
        jdbc.sql("insert into monitored.computer (id, domain, name) select id, domain, name from monitored.computer").update();

        ScriptRun again = makeSyncTarget();
        assertThat(again.statements().stream().flatMap(s -> s.notices().stream()))
                .allMatch(notice -> notice.contains("already exists, skipping"));
        assertThat(jdbc.sql("select count(*) from sco_sync.saved_index").query(Long.class).single())
                .isEqualTo(13); // 12 of the sample tables, and scheduled_job's primary key

        LocalDate later = LocalDate.now(ZoneOffset.UTC).plusDays(30);
        SampleSchema.ensurePartitions(db, later, later);
        assertThat(uniqueIndexes()).isZero();
    }

    private static ScriptRun makeSyncTarget() {
        return ScriptExecutor.execute(db, "failover", SqlScript.operational("make-sync-target"), Map.of("schema", "monitored"), false);
    }

    private static long foreignKeys() {
        return jdbc.sql("""
                select count(*) from pg_constraint c join pg_namespace n on n.oid = c.connamespace
                where n.nspname = 'monitored' and c.contype = 'f'""").query(Long.class).single();
    }

    private static long uniqueIndexes() {
        return jdbc.sql("""
                select count(*) from pg_index i join pg_class c on c.oid = i.indrelid
                join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'monitored' and i.indisunique""").query(Long.class).single();
    }

    private static long enabledUserTriggers() {
        return jdbc.sql("""
                select count(*) from pg_trigger t join pg_class c on c.oid = t.tgrelid
                join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = 'monitored' and not t.tgisinternal and t.tgenabled <> 'D'""").query(Long.class).single();
    }
}
