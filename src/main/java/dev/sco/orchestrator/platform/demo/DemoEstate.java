package dev.sco.orchestrator.platform.demo;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.sco.orchestrator.dbfailover.DatabaseJobs;
import dev.sco.orchestrator.dbfailover.BackupTargets;
import dev.sco.orchestrator.platform.EmbeddedPostgresServers;
import dev.sco.orchestrator.platform.OrchestratorProperties;
import dev.sco.orchestrator.estate.EstateSeeds;
import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.target.ScriptRunner;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The demo estate: a small monitored estate on the embedded demo databases, so every process can
 * be tried right after {@code ./mvnw spring-boot:run}. Runs once all singletons exist (so after
 * Flyway's migrations) and before the schedulers and the web server start.
 * <p>
 * Idempotent and respectful of operators: the demo endpoints get their new ports at every start,
 * but every other demo row is only inserted when missing, never overwritten.
 */
@Component
class DemoEstate implements SmartInitializingSingleton {

    static final String PRIMARY = EmbeddedPostgresServers.DEMO_PRIMARY;
    static final String FAILOVER = EmbeddedPostgresServers.DEMO_FAILOVER;
    static final String BACKUP_DATABASE = "sco_backups";
    static final String INSTANCE = "demo-instance";
    static final String HUB_PAIR = "hubs-demo";

    /** Sample data of the primary at its first start: small, so the demo starts in seconds. */
    static final int ALERTS = 300;
    static final int EVENTS_PER_DAY = 400;
    static final int DAYS = 3;

    private static final Logger log = LoggerFactory.getLogger(DemoEstate.class);

    private static final List<DemoServer> SERVERS = List.of(
            new DemoServer("ms-east-1", "management", "east", "ms-east-2"),
            new DemoServer("ms-east-2", "management", "east", "ms-east-1"),
            new DemoServer("ms-west-1", "management", "west", null),
            new DemoServer("tt-central", "top-tier", "central", null),
            new DemoServer("col-east-1", "collector", "east", null),
            new DemoServer("col-west-1", "collector", "west", null));

    private static final List<DemoAgent> AGENTS = List.of(
            new DemoAgent("mid-east-01", "automatic", List.of("ms-east-1", "ms-east-2", "ms-west-1")),
            new DemoAgent("mid-east-02", "automatic", List.of("ms-east-1", "ms-east-2")),
            new DemoAgent("mid-east-03", "manual", List.of("ms-east-2", "ms-east-1", "ms-west-1")),
            new DemoAgent("mid-east-04", "automatic", List.of("ms-east-2", "ms-east-1")),
            new DemoAgent("mid-west-01", "manual", List.of("ms-west-1", "ms-east-1")),
            new DemoAgent("mid-west-02", "automatic", List.of("ms-west-1", "ms-east-2", "ms-east-1")));

    /**
     * The role the monitored application logs in as on both demo databases: registered as the
     * endpoints' consumer role, so a failover's fence locks it out (the orchestrator itself logs in
     * as the superuser postgres, which no fence could hold).
     */
    static final String CONSUMER_ROLE = "monitored_app";

    static final String GROOMING_JOB = "grooming-and-partitioning";

    /**
     * The monitored application's jobs, registered on both demo databases: its own scheduler table
     * ({@code scheduled_job} of the sample schema) is what the statements switch. Maintenance jobs
     * run on the active side only; grooming runs on both, nightly, and the pair's maintenance
     * window follows it.
     */
    private static final List<DatabaseJobs.JobSpec> JOBS = List.of(
            maintenance("index-maintenance"),
            maintenance("alert-resolution-sweep"),
            new DatabaseJobs.JobSpec(GROOMING_JOB, switchJob(GROOMING_JOB, true), null, true, "0 0 * * *", "UTC",
                    "45m"));

    private static DatabaseJobs.JobSpec maintenance(String name) {
        return new DatabaseJobs.JobSpec(name, switchJob(name, true), switchJob(name, false), false, null, null, null);
    }

    private static String switchJob(String name, boolean enabled) {
        return "update monitored.scheduled_job set enabled = " + enabled + ", changed_at = now() where name = '"
                + name + "'";
    }

    /** Management servers that write to the demo primary. */
    private static final List<String> CONSUMERS = List.of("ms-east-1", "ms-east-2", "ms-west-1");

    private final OrchestratorProperties settings;
    private final ObjectProvider<EmbeddedPostgresServers> embedded;
    private final JdbcClient orchestrator;
    private final TransactionTemplate transaction;
    private final TargetDatabases targets;
    private final ScriptRunner scripts;
    private final SampleDataGenerator generator;
    private final Clock clock;
    private final PairTables pairTables;
    private final EstateSeeds seeds;
    private final DatabaseJobs databaseJobs;
    private final BackupTargets backupTargets;

    DemoEstate(OrchestratorProperties settings, ObjectProvider<EmbeddedPostgresServers> embedded, JdbcClient orchestrator,
               PlatformTransactionManager transactionManager, TargetDatabases targets, ScriptRunner scripts,
               SampleDataGenerator generator, Clock clock, PairTables pairTables, EstateSeeds seeds,
               DatabaseJobs databaseJobs, BackupTargets backupTargets) {
        this.pairTables = pairTables;
        this.seeds = seeds;
        this.databaseJobs = databaseJobs;
        this.backupTargets = backupTargets;
        this.settings = settings;
        this.embedded = embedded;
        this.orchestrator = orchestrator;
        this.transaction = new TransactionTemplate(transactionManager);
        this.targets = targets;
        this.scripts = scripts;
        this.generator = generator;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (settings.demoEnabled()) {
            install();
        }
    }

    void install() {
        EmbeddedPostgresServers servers = embedded.getObject();
        // Registered through the estate's own service (as PUT /api/databases would), primary first.
        seeds.database(PRIMARY, servers.jdbcUrl(PRIMARY), "postgres", null, "primary", FAILOVER, List.of(CONSUMER_ROLE));
        seeds.database(FAILOVER, servers.jdbcUrl(FAILOVER), "postgres", null, "failover", PRIMARY,
                List.of(CONSUMER_ROLE));

        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        DataSource primary = targets.dataSource(PRIMARY);
        SampleSchema.install(primary, PRIMARY);
        SampleSchema.ensurePartitions(primary, today.minusDays(DAYS + 1L), today.plusDays(7));
        long alerts = targets.jdbc(PRIMARY).sql("select count(*) from monitored.alert").query(Long.class).single();
        SampleCounts filled = alerts == 0 ? generator.generate(PRIMARY, ALERTS, EVENTS_PER_DAY, DAYS) : null;

        DataSource failover = targets.dataSource(FAILOVER);
        // Once a sync target, the failover schema must not get its unique indexes back from the install script.
        boolean syncTarget = targets.jdbc(FAILOVER).sql("select to_regclass('sco_sync.saved_index') is not null")
                .query(Boolean.class).single();
        if (!syncTarget) {
            SampleSchema.install(failover, FAILOVER);
            // The standby starts with the application's maintenance jobs off; grooming runs on both.
            targets.jdbc(FAILOVER).sql("update monitored.scheduled_job set enabled = false where name <> ?")
                    .param(GROOMING_JOB).update();
        } else {
            demoJobTableOnFailover();
        }
        SampleSchema.ensurePartitions(failover, today.minusDays(DAYS + 1L), today.plusDays(7));
        scripts.run(FAILOVER, "make-sync-target", Map.of("schema", SampleSchema.SCHEMA), false);
        // Registered like any pair's tables (an operator's change through the API is kept).
        if (pairTables.seed(PRIMARY, SampleSchema.tableList(), "demo estate")) {
            log.info("Demo pair {}: sync tables of schema {} registered", PRIMARY, SampleSchema.SCHEMA);
        }
        consumerRole(PRIMARY);
        consumerRole(FAILOVER);
        backupDatabase(servers);

        int jobs = 0;
        for (String database : List.of(PRIMARY, FAILOVER)) {
            jobs += databaseJobs.seed(database, JOBS, "demo estate") ? JOBS.size() : 0;
        }
        int registeredJobs = jobs;
        int[] added = transaction.execute(tx -> new int[] {insertServers(), insertAgents(), insertHubPair(),
                insertBindings(), registeredJobs});
        log.info("Demo estate ready: {} (primary, {}) and {} (failover, sync target); new rows: {} servers, {} agents, "
                        + "{} hub pair, {} bindings, {} database jobs; {} servers, {} agents and hub pair {} in all",
                PRIMARY, filled == null ? alerts + " alerts kept" : "filled with " + filled.total() + " sample rows",
                FAILOVER, added[0], added[1], added[2], added[3], added[4], SERVERS.size(), AGENTS.size(), HUB_PAIR);
    }

    /**
     * A demo failover database made a sync target before the sample schema had its job table gets
     * it (maintenance jobs off). A fenced demo database (after a failover) refuses: left as it is.
     */
    private void demoJobTableOnFailover() {
        try {
            targets.jdbc(FAILOVER).sql("""
                    create table if not exists monitored.scheduled_job (name varchar(64) not null,
                        enabled boolean not null, changed_at timestamptz not null default now())""").update();
            targets.jdbc(FAILOVER).sql("""
                    insert into monitored.scheduled_job (name, enabled)
                    select j.name, j.name = ?::text
                      from unnest(array['index-maintenance', 'alert-resolution-sweep', ?::text]) j (name)
                     where not exists (select 1 from monitored.scheduled_job s where s.name = j.name)""")
                    .params(GROOMING_JOB, GROOMING_JOB).update();
        } catch (RuntimeException e) {
            log.warn("Demo job table not ensured on {}: {}", FAILOVER, e.getMessage());
        }
    }

    /**
     * The pair's backup database: database {@value #BACKUP_DATABASE} on the failover database's
     * server (a database of its own, not on the primary's server), registered through the backup
     * feature like any pair's, so a restoration can back up before it copies back.
     */
    private void backupDatabase(EmbeddedPostgresServers servers) {
        JdbcClient server = targets.jdbc(FAILOVER);
        if (!server.sql("select exists (select 1 from pg_database where datname = ?)").param(BACKUP_DATABASE)
                .query(Boolean.class).single()) {
            server.sql("create database " + BACKUP_DATABASE).update();
        }
        String url = "jdbc:postgresql://localhost:" + servers.port(FAILOVER) + "/" + BACKUP_DATABASE;
        if (backupTargets.find(PRIMARY).map(t -> !t.jdbcUrl().equals(url)).orElse(true)) {
            try {
                backupTargets.put(PRIMARY, new BackupTargets.Request(url, "postgres", null), "demo estate");
            } catch (RuntimeException e) {
                // The settings may forbid it (allowed hosts without localhost): restorations of the
                // demo pair are then refused until a DBA registers a backup database.
                log.warn("Demo pair {}: backup database {} not registered: {}", PRIMARY, url, e.getMessage());
            }
        }
    }

    /**
     * The consumer login role on a demo database, allowed to read and write the monitored schema.
     * A fenced demo database (after a failover) refuses the grants: that is left as it is.
     */
    private void consumerRole(String database) {
        try {
            targets.jdbc(database).sql("""
                    do $$
                    begin
                        if not exists (select 1 from pg_roles where rolname = 'monitored_app') then
                            create role monitored_app login;
                        end if;
                        grant usage on schema monitored to monitored_app;
                        grant select, insert, update, delete on all tables in schema monitored to monitored_app;
                        grant usage on all sequences in schema monitored to monitored_app;
                    end
                    $$""").update();
        } catch (RuntimeException e) {
            log.warn("Demo consumer role {} not (re)granted on {}: {}", CONSUMER_ROLE, database, e.getMessage());
        }
    }

    private int insertServers() {
        int added = 0;
        List<String> inserted = new ArrayList<>();
        for (DemoServer server : SERVERS) {
            if (seeds.server(server.name(), server.kind(), server.site())) {
                inserted.add(server.name());
                added++;
            }
        }
        // Standby pairs refer to each other, so they are linked once both are registered.
        for (DemoServer server : SERVERS) {
            if (server.standby() != null && inserted.contains(server.name())) {
                seeds.standby(server.name(), server.standby());
            }
        }
        return added;
    }

    private int insertAgents() {
        int added = 0;
        for (DemoAgent agent : AGENTS) {
            if (seeds.agent(agent.name(), INSTANCE, "mid.service", agent.registration(), agent.chain())) {
                added++;
            }
        }
        return added;
    }

    private int insertHubPair() {
        return seeds.hubPair(HUB_PAIR, "hub-a", "hub-b") ? 1 : 0;
    }

    private int insertBindings() {
        int added = 0;
        for (String consumer : CONSUMERS) {
            added += seeds.binding(consumer, PRIMARY) ? 1 : 0;
        }
        return added;
    }

    private record DemoServer(String name, String kind, String site, String standby) {
    }

    private record DemoAgent(String name, String registration, List<String> chain) {
    }
}
