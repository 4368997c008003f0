package dev.sco.orchestrator.platform.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import javax.sql.DataSource;

import dev.sco.orchestrator.platform.demo.SampleDataGenerator;
import dev.sco.orchestrator.platform.demo.SampleSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** make-sync-target and the scripts that undo it, in the order a failover runs them. */
class FailoverPreparationScriptsTest {

    private EmbeddedPostgres server;
    private DataSource db;
    private JdbcClient jdbc;

    @BeforeEach
    void start() throws Exception {
        server = EmbeddedPostgres.builder().start();
        db = server.getPostgresDatabase();
        jdbc = JdbcClient.create(db);
        SampleSchema.install(db, "failover");
        SampleDataGenerator.generate(db, Instant.now(), 30, 40, 1);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void preparationRestoresTheOriginalSchemaAndCleansWhatTheSyncLeftBehind() {
        String original = catalog();
        run("make-sync-target");
        assertThat(catalog()).isNotEqualTo(original);

        // What incremental loads leave: a row copied twice, and children whose parent never came.
        jdbc.sql("insert into monitored.computer select * from monitored.computer where id = 1").update();
        jdbc.sql("insert into monitored.event select * from monitored.event order by id limit 3").update();
        jdbc.sql("insert into monitored.alert_history (alert_id, state, changed_by) values (-7, 'new', 'sync')").update();
        jdbc.sql("insert into monitored.alert_event (alert_id, event_id, event_time) values (-7, 1, now())").update();
        long events = count("event");

        run("remove-orphans");
        run("restore-unique-indexes");
        run("enable-triggers-and-constraints");
        run("advance-sequences");

        assertThat(catalog()).isEqualTo(original);
        assertThat(count("event")).isEqualTo(events - 3);
        assertThat(jdbc.sql("select count(*) from monitored.alert_history where alert_id = -7").query(Long.class).single())
                .isZero();
        assertThat(jdbc.sql("select count(*) from monitored.alert_event where alert_id = -7").query(Long.class).single())
                .isZero();
        // The database works as an active one: new ids, triggers firing, keys enforced.
        jdbc.sql("insert into monitored.alert (computer_id, rule_id, severity, state, raised_at) values (1, 1, 2, 'new', now())")
                .update();
        jdbc.sql("update monitored.computer set os_version = 'x', updated_at = '2000-01-01' where id = 1").update();
        assertThat(jdbc.sql("select updated_at > '2001-01-01' from monitored.computer where id = 1")
                .query(Boolean.class).single()).isTrue();
        assertThatThrownBy(() -> jdbc.sql("insert into monitored.alert_history (alert_id, state, changed_by) "
                + "values (-8, 'new', 'x')").update()).hasMessageContaining("foreign key");

        run("make-sync-target");
        assertThat(jdbc.sql("select count(*) from sco_sync.saved_index").query(Long.class).single()).isEqualTo(13); // scheduled_job's primary key too
    }

    @Test
    void constraintsCannotComeBackBeforeTheUniqueIndexes() {
        run("make-sync-target");
        assertThatThrownBy(() -> run("enable-triggers-and-constraints"))
                .isInstanceOf(ScriptFailedException.class).hasMessageContaining("run restore-unique-indexes first");
    }

    @Test
    void preparationScriptsDoNothingOnADatabaseThatIsNoSyncTarget() {
        String original = catalog();
        run("remove-orphans");
        run("restore-unique-indexes");
        run("enable-triggers-and-constraints");
        run("advance-sequences");
        assertThat(catalog()).isEqualTo(original);
    }

    private void run(String script) {
        ScriptExecutor.execute(db, "failover", SqlScript.operational(script), Map.of("schema", "monitored"), false);
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from monitored." + table).query(Long.class).single();
    }

    /** Keys, indexes and user triggers (with their enabled state) of the sample schema. */
    private String catalog() {
        return jdbc.sql("""
                select string_agg(item, E'\\n' order by item) from (
                    select 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) as item
                    from pg_constraint where connamespace = 'monitored'::regnamespace and contype in ('p', 'u', 'f')
                    union all
                    select 'index ' || pg_get_indexdef(i.indexrelid)
                    from pg_index i join pg_class c on c.oid = i.indexrelid
                    where c.relnamespace = 'monitored'::regnamespace
                    union all
                    select 'trigger ' || tgrelid::regclass || ' ' || tgname || ' ' || tgenabled::text
                    from pg_trigger t join pg_class c on c.oid = t.tgrelid
                    where c.relnamespace = 'monitored'::regnamespace and not t.tgisinternal) s""")
                .query(String.class).single();
    }
}
