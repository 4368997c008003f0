package dev.sco.orchestrator.sync;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.PairTablesSql;
import dev.sco.orchestrator.platform.EmbeddedPostgresServers;
import dev.sco.orchestrator.platform.demo.SampleDataGenerator;
import dev.sco.orchestrator.platform.demo.SampleSchema;
import dev.sco.orchestrator.platform.target.ScriptRunner;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A fresh pair for one test: a primary database with sample data on the demo primary server and
 * a failover database made a sync target on the demo failover server, both registered. The demo
 * pair itself is left to the demo.
 */
@Component
class SyncFixture {

    private final JdbcClient orchestrator;
    private final EmbeddedPostgresServers servers;
    private final TargetDatabases targets;
    private final ScriptRunner scripts;
    private final SyncService service;

    SyncFixture(JdbcClient orchestrator, EmbeddedPostgresServers servers, TargetDatabases targets,
                ScriptRunner scripts, SyncService service) {
        this.orchestrator = orchestrator;
        this.servers = servers;
        this.targets = targets;
        this.scripts = scripts;
        this.service = service;
    }

    SyncPair create() {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String primary = "sync-p-" + id;
        String failover = "sync-f-" + id;
        register(primary, EmbeddedPostgresServers.DEMO_PRIMARY, "sync_p_" + id, "primary", failover);
        register(failover, EmbeddedPostgresServers.DEMO_FAILOVER, "sync_f_" + id, "failover", primary);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        SampleSchema.install(primary(primary), primary);
        SampleSchema.ensurePartitions(primary(primary), today.minusDays(3), today.plusDays(3));
        SampleDataGenerator.generate(primary(primary), Instant.now(), 40, 60, 2);
        SampleSchema.install(targets.dataSource(failover), failover);
        scripts.run(failover, "make-sync-target", Map.of("schema", SampleSchema.SCHEMA), false);
        PairTablesSql.register(orchestrator, primary, SampleSchema.tableList());
        return new SyncPair(primary, failover);
    }

    private DataSource primary(String name) {
        return targets.dataSource(name);
    }

    void register(String name, String server, String databaseName, String role, String pairedWith) {
        targets.jdbc(server).sql("create database " + databaseName).update();
        String url = servers.jdbcUrl(server).replace("/postgres", "/" + databaseName);
        orchestrator.sql("""
                        insert into database_endpoint (name, jdbc_url, username, role, paired_with)
                        values (:name, :url, 'postgres', :role, :paired)""")
                .param("name", name).param("url", url).param("role", role).param("paired", pairedWith).update();
    }

    /** Row count and a checksum of every row of each table, for comparing both sides. */
    Map<String, String> contents(String database) {
        Map<String, String> contents = new LinkedHashMap<>();
        for (SampleTableName table : tableNames()) {
            contents.put(table.name(), targets.jdbc(database).sql("select count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from monitored."
                    + table.name() + " t").query(String.class).single());
        }
        return contents;
    }

    long count(String database, String table) {
        return targets.jdbc(database).sql("select count(*) from monitored." + table).query(Long.class).single();
    }

    JdbcClient jdbc(String database) {
        return targets.jdbc(database);
    }

    DataSource dataSource(String database) {
        return targets.dataSource(database);
    }

    record SampleTableName(String name) {
    }

    static List<SampleTableName> tableNames() {
        return SampleSchema.TABLES.stream().map(t -> new SampleTableName(t.name())).toList();
    }

    /** Moves the test clock past the maintenance window when real time lies in it. */
    void outsideWindow(MutableClock clock) {
        MaintenanceWindow window = service.window();
        Instant now = clock.instant();
        if (window.contains(now)) {
            clock.advance(java.time.Duration.between(now, window.currentEnd(now)).plusMinutes(1));
        }
    }
}
