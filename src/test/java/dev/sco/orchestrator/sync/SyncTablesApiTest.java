package dev.sco.orchestrator.sync;

import static dev.sco.orchestrator.Api.assertProblem;
import static dev.sco.orchestrator.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.EmbeddedPostgresServers;
import dev.sco.orchestrator.platform.target.ScriptRunner;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code PUT/GET /api/sync/{database}/tables}: who may set them, every field checked against the
 * primary and the failover database at once, nothing half-written, 409 while the pair is busy;
 * and a pair registered after start-up (pgbench's tables in {@code public}, integer keys, as in
 * issue 14) that syncs at once, with its schedule and maintenance window, without a restart.
 */
@OrchestratorTest
class SyncTablesApiTest {

    @LocalServerPort
    int port;
    @Autowired
    SyncFixture fixture;
    @Autowired
    SyncRepository repository;
    @Autowired
    SyncTables tables;
    @Autowired
    MutableClock clock;
    @Autowired
    EmbeddedPostgresServers servers;
    @Autowired
    TargetDatabases targets;
    @Autowired
    ScriptRunner scripts;
    @Autowired
    JdbcClient orchestrator;
    @Autowired
    Scheduler scheduler;
    @Autowired
    SyncSettings settings;

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

    private Api api() {
        return new Api(port).as(Api.DBA);
    }

    private static String body(String schema, List<Map<String, Object>> list) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("schema", schema);
        body.put("tables", list);
        return json(body);
    }

    private static Map<String, Object> table(String name, String kind, String incrementColumn) {
        java.util.Map<String, Object> t = new java.util.LinkedHashMap<>();
        t.put("name", name);
        t.put("kind", kind);
        if (incrementColumn != null) {
            t.put("incrementColumn", incrementColumn);
        }
        return t;
    }

    private String path() {
        return "/api/sync/" + pair.primary() + "/tables";
    }

    @Test
    void dbaSetsTheTablesAndReadsThemBackOperatorsMayNot() {
        String two = body("monitored", List.of(table("rule_config", "non-referenced", null),
                table("alert", "referenced", "created_at")));

        assertThat(new Api(port).as(Api.OPERATOR).put(path(), two).status()).isEqualTo(403);
        Api.Response put = api().put(path(), two);

        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        Api.Response read = new Api(port).as(Api.OPERATOR).get(path());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("schema")).isEqualTo("monitored");
        assertThat(read.body().get("tables").findValuesAsText("name")).containsExactly("rule_config", "alert");
        assertThat(read.body().get("tables").get(1).get("incrementColumn").asText()).isEqualTo("created_at");
        assertThat(read.text("updatedBy")).isEqualTo("dba");
        assertThat(tables.tables(pair.primary())).hasSize(2);
    }

    @Test
    void everyFieldIsCheckedAndARefusedListChangesNothing() {
        List<SyncTable> before = tables.tables(pair.primary());

        assertProblem(api().put(path(), body(null, List.of(table("alert", "referenced", "created_at")))), 400, "schema");
        assertProblem(api().put(path(), body("Monitored", List.of(table("alert", "referenced", "created_at")))), 400,
                "schema");
        assertProblem(api().put(path(), body("nowhere", List.of(table("alert", "referenced", "created_at")))), 400,
                "schema");
        assertProblem(api().put(path(), body("monitored", List.of())), 400, "tables");
        assertProblem(api().put(path(), body("monitored", List.of(table("alert", "mirrored", "created_at")))), 400,
                "tables[0].kind");
        assertProblem(api().put(path(), body("monitored", List.of(table("alert", null, "created_at")))), 400,
                "tables[0].kind");
        assertProblem(api().put(path(), body("monitored", List.of(table("alert", "referenced", "created_at"),
                table("alert", "referenced", "created_at")))), 400, "tables[1].name");
        assertProblem(api().put(path(), body("monitored", List.of(table("alert", "referenced", null)))), 400,
                "tables[0].incrementColumn");
        assertProblem(api().put(path(), body("monitored", List.of(table("rule_config", "non-referenced", "updated_at")))),
                400, "tables[0].incrementColumn");
        Api.Response missingTable = api().put(path(), body("monitored", List.of(table("rule_config", "non-referenced",
                null), table("no_such_table", "referenced", "created_at"))));
        assertProblem(missingTable, 400, "tables[1].name");
        assertThat(missingTable.text("detail")).contains("monitored.no_such_table does not exist on the primary");
        Api.Response missingColumn = api().put(path(), body("monitored", List.of(table("alert", "referenced",
                "no_such_column"))));
        assertProblem(missingColumn, 400, "tables[0].incrementColumn");
        assertThat(missingColumn.text("detail")).contains("no_such_column");
        Api.Response wrongType = api().put(path(), body("monitored", List.of(table("alert", "referenced", "state"))));
        assertProblem(wrongType, 400, "tables[0].incrementColumn");
        assertThat(wrongType.text("detail")).contains("increment column state of table monitored.alert is character varying")
                .contains("timestamptz, timestamp, smallint, integer or bigint");
        assertProblem(api().put(path(), body("monitored", List.of(table("event", "referenced", "created_at")))), 400,
                "tables[0].kind");
        assertProblem(api().put(path(), body("monitored", List.of(table("alert", "partitioned", "created_at")))), 400,
                "tables[0].kind");
        fixture.jdbc(pair.failover()).sql("alter table monitored.alert_history rename to alert_history_gone").update();
        Api.Response notOnFailover = api().put(path(), body("monitored", List.of(table("alert", "referenced",
                "created_at"), table("alert_history", "referenced", "created_at"))));
        assertProblem(notOnFailover, 400, "tables[1].name");
        assertThat(notOnFailover.text("detail")).contains("failover database '" + pair.failover() + "'");
        assertProblem(api().put("/api/sync/" + pair.failover() + "/tables", body("monitored",
                List.of(table("alert", "referenced", "created_at")))), 400, "database");
        Api.Response unknownField = api().put(path(), "{\"schema\":\"monitored\",\"tables\":[{\"name\":\"alert\","
                + "\"kind\":\"referenced\",\"incrementColumn\":\"created_at\",\"color\":\"red\"}]}");
        assertThat(unknownField.status()).isEqualTo(400);

        assertThat(tables.tables(pair.primary())).isEqualTo(before);
    }

    @Test
    void refusedWhileARunOrAFailoverOfThePairIsRunning() {
        String one = body("monitored", List.of(table("alert", "referenced", "created_at")));
        long run = repository.begin(pair.primary(), pair.failover(), "manual", "test-node", "test", clock.instant())
                .orElseThrow();
        try {
            Api.Response refused = api().put(path(), one);
            assertProblem(refused, 409, "database");
            assertThat(refused.text("detail")).contains("run " + run);
        } finally {
            repository.endRun(pair.primary(), run, true, null, clock.instant());
        }
        long operation = orchestrator.sql("""
                        insert into continuity_operation (kind, mode, database, failover_database, requested_by, reason,
                                                          requested_at, state)
                        values ('failover', 'drill', ?, ?, 'test', 'tables test', now(), 'requested') returning id""")
                .params(pair.primary(), pair.failover()).query(Long.class).single();
        try {
            Api.Response refused = api().put(path(), one);
            assertProblem(refused, 409, "database");
            assertThat(refused.text("detail")).contains("failover " + operation + " (drill)");
        } finally {
            orchestrator.sql("update continuity_operation set ended_at = now(), state = 'drilled' where id = ?")
                    .param(operation).update();
        }

        assertThat(api().put(path(), one).status()).isEqualTo(200);
    }

    @Test
    void changingATableStartsItOverWithAWholeCopy() {
        assertThat(repositoryCheckpoint("monitored.alert")).isNull();
        fixture.jdbc(pair.primary());
        SyncService.Outcome first = service().runNow(pair.primary(), SyncService.Kind.MANUAL, "test");
        assertThat(first.succeeded()).as(first.error()).isTrue();
        assertThat(repositoryCheckpoint("monitored.alert")).isNotNull();

        assertThat(api().put(path(), body("monitored", List.of(table("rule_config", "non-referenced", null),
                table("alert", "lookup", "updated_at")))).status()).isEqualTo(200);

        assertThat(repositoryCheckpoint("monitored.alert")).isNull();
        assertThat(repositoryCheckpoint("monitored.event")).isNull();
    }

    @Autowired
    SyncService syncService;

    private SyncService service() {
        return syncService;
    }

    private java.time.Instant repositoryCheckpoint(String table) {
        return repository.checkpoints(pair.primary()).get(table);
    }

    /**
     * Issue 14: pgbench's tables in {@code public} (integer keys, a timestamp without time zone, a
     * table without primary key), registered through the API after start-up: the first manual run
     * works at once, and the pair's trigger is created with the maintenance window's calendar even
     * when that calendar is not in the store.
     */
    @Test
    void pairRegisteredAfterStartUpSyncsAtOnceWithScheduleAndWindow() throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String primary = "bench-p-" + id;
        String failover = "bench-f-" + id;
        String primaryUrl = createDatabase(EmbeddedPostgresServers.DEMO_PRIMARY, "bench_p_" + id);
        String failoverUrl = createDatabase(EmbeddedPostgresServers.DEMO_FAILOVER, "bench_f_" + id);
        Api admin = new Api(port);
        assertThat(admin.as(Api.DBA).put("/api/databases/" + primary, json(Map.of("jdbcUrl", primaryUrl,
                "username", "postgres", "role", "primary"))).status()).isEqualTo(201);
        Api.Response paired = admin.as(Api.DBA).put("/api/databases/" + failover, json(Map.of("jdbcUrl", failoverUrl,
                "username", "postgres", "role", "failover", "pairedWith", primary)));
        assertThat(paired.status()).as(paired.toString()).isEqualTo(201);
        for (String database : List.of(primary, failover)) {
            targets.jdbc(database).sql("""
                    create table pgbench_branches (bid int primary key, bbalance int, filler char(88));
                    create table pgbench_accounts (aid int primary key, bid int references pgbench_branches,
                                                   abalance int, filler char(84));
                    create table pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp,
                                                  filler char(22))""").update();
        }
        targets.jdbc(primary).sql("""
                insert into pgbench_branches select b, 0 from generate_series(1, 3) b;
                insert into pgbench_accounts select a, 1 + a % 3, 0 from generate_series(1, 500) a;
                insert into pgbench_history select 1, 1 + a % 3, a, a, localtimestamp - make_interval(secs => a)
                from generate_series(1, 200) a""").update();
        // pgbench_branches with its integer key as increment column was what failed every run in the issue.
        String bench = body("public", List.of(table("pgbench_branches", "non-referenced", null),
                table("pgbench_accounts", "referenced", "aid"), table("pgbench_history", "referenced", "mtime")));

        Api.Response set = api().put("/api/sync/" + primary + "/tables", bench);
        assertThat(set.status()).as(set.toString()).isEqualTo(201);
        // The failover database was made a sync target of the schema by the PUT: no keys left there.
        assertThat(targets.jdbc(failover).sql("select count(*) from pg_constraint c join pg_namespace n "
                + "on n.oid = c.connamespace where n.nspname = 'public' and c.contype in ('p', 'f')")
                .query(Long.class).single()).isZero();
        Api.Response started = api().post("/api/sync/" + primary + "/runs");
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        long runId = started.body().get("runId").asLong();

        await().atMost(Duration.ofSeconds(60)).until(() -> !"running".equals(repository.runs(primary, 1).get(0).result()));
        SyncRepository.Run run = repository.runs(primary, 1).get(0);
        assertThat(run.id()).isEqualTo(runId);
        assertThat(run.result()).as(run.error()).isEqualTo("succeeded");
        assertThat(run.tasks().get(1).valueUpTo()).isEqualTo("500");
        for (String t : List.of("pgbench_branches", "pgbench_accounts", "pgbench_history")) {
            assertThat(checksum(failover, t)).as(t).isEqualTo(checksum(primary, t));
        }

        // The schedule: as a node with the schedule on does when the tables are set (tests run with it off).
        SyncSettings on = new SyncSettings(settings.interval(), settings.overlap(), settings.staleAfter(), "00:00", 60,
                "UTC", settings.failuresBeforeRecovery(), settings.copyTimeout(), true, Map.of());
        SyncSchedule schedule = new SyncSchedule(scheduler, on, targets, repository, clock,
                new PairWindows(database -> java.util.Optional.empty(), on));
        if (scheduler.getCalendar(SyncSchedule.CALENDAR) != null) {
            scheduler.deleteCalendar(SyncSchedule.CALENDAR);
        }
        try {
            schedule.ensure(primary);

            Trigger trigger = scheduler.getTrigger(SyncSchedule.key(primary));
            assertThat(trigger).isInstanceOf(SimpleTrigger.class);
            assertThat(trigger.getCalendarName()).isEqualTo(SyncSchedule.CALENDAR);
            assertThat(scheduler.getCalendar(SyncSchedule.CALENDAR)).isNotNull();
            assertThat(scheduler.getCalendar(SyncSchedule.CALENDAR).isTimeIncluded(
                    java.time.Instant.parse("2030-01-01T00:30:00Z").toEpochMilli())).isFalse();
        } finally {
            scheduler.unscheduleJob(SyncSchedule.key(primary));
        }
    }

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactionManager;
    @Autowired
    dev.sco.orchestrator.platform.continuity.PairRoles roles;

    /** orchestrator.sync.pairs.* seeds a pair's list when the store has none, and never overwrites one. */
    @Test
    void settingsSeedAPairOnceAndNeverOverwriteTheStoredList() {
        SyncSettings seeding = new SyncSettings(settings.interval(), settings.overlap(), settings.staleAfter(),
                settings.windowStart(), settings.windowMinutes(), settings.windowZone(),
                settings.failuresBeforeRecovery(), settings.copyTimeout(), false, Map.of(pair.primary(),
                new SyncSettings.Pair("monitored", List.of(
                        new SyncSettings.Table("rule_config", "non-referenced", "updated_at", false),
                        new SyncSettings.Table("alert", "referenced", "created_at", true)))));
        int stored = tables.tables(pair.primary()).size();

        new SyncTables(seeding, orchestrator, transactionManager, roles, clock).afterSingletonsInstantiated();
        assertThat(tables.tables(pair.primary())).hasSize(stored);

        orchestrator.sql("delete from sync_table_set where database = ?").param(pair.primary()).update();
        new SyncTables(seeding, orchestrator, transactionManager, roles, clock).afterSingletonsInstantiated();
        assertThat(tables.tables(pair.primary())).extracting(SyncTable::name).containsExactly("rule_config", "alert");
        assertThat(tables.tables(pair.primary()).get(0).incrementColumn()).isNull();
        assertThat(tables.of(pair.primary()).orElseThrow().kpiTable().orElseThrow().name()).isEqualTo("alert");
        SyncService.Outcome run = syncService.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");
        assertThat(run.succeeded()).as(run.error()).isTrue();
    }

    /** A seed names its schema, as the API does: no production default names the demo's schema. */
    @Test
    void aSeedWithoutSchemaIsRefusedAtStartUpNamingTheSetting() {
        SyncSettings seeding = new SyncSettings(settings.interval(), settings.overlap(), settings.staleAfter(),
                settings.windowStart(), settings.windowMinutes(), settings.windowZone(),
                settings.failuresBeforeRecovery(), settings.copyTimeout(), false, Map.of("seeded-" + pair.primary(),
                new SyncSettings.Pair(null, List.of(new SyncSettings.Table("alert", "referenced", "created_at", true)))));

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new SyncTables(seeding, orchestrator, transactionManager, roles, clock).afterSingletonsInstantiated())
                .hasMessageContaining("ORCHESTRATOR_SYNC_PAIRS").hasMessageContaining("'schema' is required");
    }

    private String createDatabase(String server, String name) {
        targets.jdbc(server).sql("create database " + name).update();
        String url = servers.jdbcUrl(server);
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("localhost:(\\d+)/").matcher(url);
        assertThat(port.find()).as(url).isTrue();
        return "jdbc:postgresql://localhost:" + port.group(1) + "/" + name;
    }

    private String checksum(String database, String table) {
        return targets.jdbc(database).sql("select count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by "
                + "t::text), '')) from public." + table + " t").query(String.class).single();
    }
}
