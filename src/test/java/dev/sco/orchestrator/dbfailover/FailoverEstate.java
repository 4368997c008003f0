package dev.sco.orchestrator.dbfailover;

import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.Decisions;
import dev.sco.orchestrator.PairTablesSql;
import dev.sco.orchestrator.platform.demo.SampleDataGenerator;
import dev.sco.orchestrator.platform.demo.SampleSchema;
import dev.sco.orchestrator.platform.target.ScriptExecutor;
import dev.sco.orchestrator.platform.target.SqlScript;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A primary and a failover database of their own (each on its own PostgreSQL server, shared by
 * the tests of a JVM), registered in the orchestrator with two management servers bound to the
 * primary, database jobs on both sides, and consumers that connect where their binding says
 * under their own application name.
 */
final class FailoverEstate implements AutoCloseable {

    private static EmbeddedPostgres primaryHost;
    private static EmbeddedPostgres failoverHost;

    private static synchronized EmbeddedPostgres[] hosts() throws IOException {
        if (primaryHost == null) {
            primaryHost = EmbeddedPostgres.builder().start();
            failoverHost = EmbeddedPostgres.builder().start();
        }
        return new EmbeddedPostgres[] {primaryHost, failoverHost};
    }

    final String id = UUID.randomUUID().toString().substring(0, 8);
    final String primary = "fo-primary-" + id;
    final String failover = "fo-failover-" + id;
    final List<String> consumers = List.of("ms-a-" + id, "ms-b-" + id);

    private final EmbeddedPostgres primaryServer;
    private final EmbeddedPostgres failoverServer;
    private final String primaryDb = "p_" + id;
    private final String failoverDb = "f_" + id;
    private final String backupDb = "b_" + id;
    private boolean primaryReachable = true;
    private final JdbcClient orchestrator;
    private final java.util.Map<String, Connection> sessions = new java.util.HashMap<>();

    private final boolean dedicatedPrimary;

    FailoverEstate(JdbcClient orchestrator) throws IOException {
        this(orchestrator, false);
    }

    /** With {@code dedicatedPrimary} the primary runs on a server of its own, which a test may kill. */
    FailoverEstate(JdbcClient orchestrator, boolean dedicatedPrimary) throws IOException {
        this(orchestrator, dedicatedPrimary, EstateSchema.SAMPLE, true);
    }

    final EstateSchema schema;

    /**
     * An estate holding {@code schema}; with {@code registerTables} its sync tables are registered
     * too (straight into the store), otherwise the test registers them through the API.
     */
    FailoverEstate(JdbcClient orchestrator, boolean dedicatedPrimary, EstateSchema schema, boolean registerTables)
            throws IOException {
        this.orchestrator = orchestrator;
        this.schema = schema;
        this.dedicatedPrimary = dedicatedPrimary;
        EmbeddedPostgres[] hosts = hosts();
        this.primaryServer = dedicatedPrimary ? EmbeddedPostgres.builder().start() : hosts[0];
        this.failoverServer = hosts[1];
        JdbcClient.create(primaryServer.getPostgresDatabase()).sql("create database " + primaryDb).update();
        JdbcClient.create(failoverServer.getPostgresDatabase()).sql("create database " + failoverDb).update();
        DataSource primaryDs = primaryServer.getDatabase("postgres", primaryDb);
        DataSource failoverDs = failoverServer.getDatabase("postgres", failoverDb);
        schema.install(primaryDs, primary);
        schema.install(failoverDs, failover);
        schema.fill(primaryDs);
        schema.makeSyncTarget(failoverDs, failover);
        register(primary, url(primaryServer.getPort(), primaryDb), "primary", failover);
        register(failover, url(failoverServer.getPort(), failoverDb), "failover", primary);
        if (registerTables) {
            PairTablesSql.register(orchestrator, primary, schema.tables());
        }
        // The pair's backup database: a third database, on the failover database's server (not the primary's).
        JdbcClient.create(failoverServer.getPostgresDatabase()).sql("create database " + backupDb).update();
        orchestrator.sql("""
                insert into backup_target (database, jdbc_url, username, registered_by, registered_at, updated_at)
                values (?, ?, 'postgres', 'test', now(), now())""")
                .params(primary, backupUrl()).update();
        for (String consumer : consumers) {
            orchestrator.sql("insert into server (name, kind, site) values (?, 'management', 'east')").param(consumer)
                    .update();
            orchestrator.sql("insert into binding (consumer, database) values (?, ?)").params(consumer, primary).update();
        }
        for (String database : List.of(primary, failover)) {
            boolean active = database.equals(primary);
            orchestrator.sql("insert into database_job (database, name, kind, enabled) values (?, 'nightly-maintenance', "
                    + "'maintenance', ?), (?, 'grooming', 'grooming', true)").params(database, active, database).update();
        }
    }

    /** The URL of the pair's backup database (registered for it). */
    String backupUrl() {
        return url(failoverServer.getPort(), backupDb);
    }

    /** The pair's backup database. */
    JdbcClient backupJdbc() {
        return JdbcClient.create(failoverServer.getDatabase("postgres", backupDb));
    }

    private static String url(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    private void register(String name, String jdbcUrl, String role, String partner) {
        orchestrator.sql("""
                insert into database_endpoint (name, jdbc_url, username, role, paired_with)
                values (?, ?, 'postgres', ?, ?)""")
                .params(name, jdbcUrl, role, partner).update();
    }

    /** One plain copy of every table of the schema from the primary onto the failover database (what a sync run does). */
    void copyPrimaryToFailover() throws SQLException {
        try (Connection source = primaryServer.getDatabase("postgres", primaryDb).getConnection();
             Connection target = failoverServer.getDatabase("postgres", failoverDb).getConnection()) {
            target.setAutoCommit(false);
            for (var table : schema.tables().tables()) {
                dev.sco.orchestrator.platform.target.TableRef ref =
                        dev.sco.orchestrator.platform.target.TableRef.of(schema.name(), table.name());
                dev.sco.orchestrator.platform.target.Partitions.mirror(source, target, ref);
                dev.sco.orchestrator.platform.target.CopyStream.copy(source, target,
                        dev.sco.orchestrator.platform.target.CopyRequest.table(schema.name(), table.name()));
            }
            target.commit();
        }
    }

    /** Row count and a checksum of every row of each table of the schema on one side, for comparing both. */
    java.util.Map<String, String> contents(boolean onPrimary) {
        java.util.Map<String, String> contents = new java.util.LinkedHashMap<>();
        for (var table : schema.tables().tables()) {
            contents.put(table.name(), text(onPrimary, "select count(*) || ':' || md5(coalesce(string_agg(t::text, '|' "
                    + "order by t::text), '')) from " + schema.name() + "." + table.name() + " t"));
        }
        return contents;
    }

    JdbcClient primaryJdbc() {
        return JdbcClient.create(primaryServer.getDatabase("postgres", primaryDb));
    }

    JdbcClient failoverJdbc() {
        return JdbcClient.create(failoverServer.getDatabase("postgres", failoverDb));
    }

    long count(boolean onPrimary, String sql) {
        DataSource ds = onPrimary ? primaryServer.getDatabase("postgres", primaryDb)
                : failoverServer.getDatabase("postgres", failoverDb);
        return JdbcClient.create(ds).sql(sql).query(Long.class).single();
    }

    String text(boolean onPrimary, String sql) {
        DataSource ds = onPrimary ? primaryServer.getDatabase("postgres", primaryDb)
                : failoverServer.getDatabase("postgres", failoverDb);
        return JdbcClient.create(ds).sql(sql).query(String.class).single();
    }

    /** A session of its own on the primary, as a superuser (to hold locks a test needs). */
    Connection connectToPrimary() throws SQLException {
        return primaryServer.getDatabase("postgres", primaryDb).getConnection();
    }

    void onPrimary(String sql) {
        JdbcClient.create(primaryServer.getDatabase("postgres", primaryDb)).sql(sql).update();
    }

    void onFailover(String sql) {
        JdbcClient.create(failoverServer.getDatabase("postgres", failoverDb)).sql(sql).update();
    }

    /**
     * An unplanned failover of the primary: requested over the API, approved by a DBA, run to its
     * end with every consumer following its binding. Returns the API's answer to the request.
     */
    Api.Response failOver(Api api, ProcessJobs jobs, ProcessEngine engine) throws SQLException {
        Api.Response requested = api.post("/api/failovers", "{\"database\":\"" + primary
                + "\",\"mode\":\"unplanned\",\"reason\":\"primary lost\"}");
        if (requested.status() != 201) {
            throw new IllegalStateException("failover request answered " + requested);
        }
        ProcessInstance failover = engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(requested.body().get("processInstanceId").asText()).singleResult();
        jobs.run(failover);
        String approval = engine.getTaskService().createTaskQuery().processInstanceId(failover.getId())
                .singleResult().getId();
        Decisions.completeAs(engine, "dba", "dba", approval, Map.of("approved", true));
        jobs.runUntil(failover, DatabaseFailoverProcess.VERIFY);
        consumersFollowTheirBindings();
        jobs.run(failover);
        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER);
        return requested;
    }

    /** Each consumer (re)connects to the database its binding names, as a management server would. */
    void consumersFollowTheirBindings() throws SQLException {
        for (String consumer : consumers) {
            follow(consumer);
        }
    }

    void follow(String consumer) throws SQLException {
        Connection old = sessions.remove(consumer);
        if (old != null) {
            old.close();
        }
        String database = boundTo(consumer);
        if (database.equals(primary) && !primaryReachable) {
            return;
        }
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("ApplicationName", consumer);
        String jdbcUrl = database.equals(primary) ? url(primaryServer.getPort(), primaryDb)
                : url(failoverServer.getPort(), failoverDb);
        sessions.put(consumer, DriverManager.getConnection(jdbcUrl, props));
    }

    String boundTo(String consumer) {
        return orchestrator.sql("select database from binding where consumer = ?").param(consumer).query(String.class)
                .single();
    }

    boolean jobEnabled(String database, String job) {
        return orchestrator.sql("select enabled from database_job where database = ? and name = ?").params(database, job)
                .query(Boolean.class).single();
    }

    /** Writes one alert on the primary through a fresh session; throws when the primary refuses. */
    void writeOnPrimary() throws SQLException {
        try (Connection c = primaryServer.getDatabase("postgres", primaryDb).getConnection();
             Statement s = c.createStatement()) {
            s.execute("create table if not exists public.write_check (written_at timestamptz)");
            s.executeUpdate("insert into public.write_check values (now())");
        }
    }

    /**
     * The primary stops answering: its sessions end and the orchestrator reaches it at an address
     * where nothing listens (the shared server keeps serving the other tests).
     */
    void losePrimary() {
        primaryReachable = false;
        JdbcClient.create(primaryServer.getPostgresDatabase()).sql(
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = ?").param(primaryDb)
                .query((rs, i) -> rs.getBoolean(1)).list();
        orchestrator.sql("update database_endpoint set jdbc_url = ? where name = ?").params(url(1, primaryDb), primary)
                .update();
    }

    /** The primary answers again at its real address (after {@link #losePrimary}): it was repaired. */
    void returnPrimary() {
        primaryReachable = true;
        orchestrator.sql("update database_endpoint set jdbc_url = ? where name = ?")
                .params(url(primaryServer.getPort(), primaryDb), primary).update();
    }

    /** kill -9 of the dedicated primary's postmaster: the server dies without shutting down. */
    void killPrimary() throws SQLException {
        if (!dedicatedPrimary) {
            throw new IllegalStateException("only a dedicated primary may be killed");
        }
        primaryReachable = false;
        ProcessHandle postmaster;
        try (Connection c = primaryServer.getDatabase("postgres", primaryDb).getConnection();
             Statement s = c.createStatement(); var rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            // Our backend lives while this session is open; its parent is the postmaster.
            postmaster = ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).orElseThrow();
        }
        postmaster.destroyForcibly();
        postmaster.onExit().join();
    }

    /**
     * A login role of the primary's server that may write table {@code public.consumer_write} of the
     * primary database, as a consumer application's role would; registered as the primary's consumer role.
     */
    String consumerRole(boolean superuser) {
        String role = (superuser ? "su_" : "app_") + id;
        JdbcClient.create(primaryServer.getPostgresDatabase())
                .sql("create role " + role + " login" + (superuser ? " superuser" : "")).update();
        JdbcClient onPrimary = JdbcClient.create(primaryServer.getDatabase("postgres", primaryDb));
        onPrimary.sql("create table if not exists public.consumer_write (written_by text, written_at timestamptz)")
                .update();
        onPrimary.sql("grant insert on public.consumer_write to " + role).update();
        orchestrator.sql("update database_endpoint set consumer_roles = array_append(consumer_roles, ?) where name = ?")
                .params(role, primary).update();
        return role;
    }

    /** A session of the primary as {@code role} (the caller closes it). */
    Connection connectToPrimaryAs(String role) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", role);
        props.setProperty("ApplicationName", role);
        return DriverManager.getConnection(primaryUrl(), props);
    }

    /** What a client that insists on writing does: BEGIN; SET TRANSACTION READ WRITE; INSERT; COMMIT. */
    static void insistOnWriting(Connection session) throws SQLException {
        session.setAutoCommit(false);
        try (Statement s = session.createStatement()) {
            s.execute("set transaction read write");
            s.executeUpdate("insert into public.consumer_write values (current_user, now())");
            session.commit();
        } catch (SQLException e) {
            if (!session.isClosed()) {
                session.rollback();
            }
            throw e;
        }
    }

    /** The primary's JDBC URL with this consumer's application name, for a writer of the test. */
    String primaryUrl() {
        return url(primaryServer.getPort(), primaryDb);
    }

    String failoverUrl() {
        return url(failoverServer.getPort(), failoverDb);
    }

    /** Points the orchestrator's failover endpoint somewhere (a dead port to break it, or back). */
    void pointFailoverAt(int port) {
        orchestrator.sql("update database_endpoint set jdbc_url = ? where name = ?")
                .params(url(port, failoverDb), failover).update();
    }

    int failoverPort() {
        return failoverServer.getPort();
    }

    @Override
    public void close() {
        // Unpaired, the estate is out of the sensors' reach: the context (and its background health
        // probe) outlives the test, and a primary left unreachable would otherwise be failed over
        // later, in the middle of some other test.
        orchestrator.sql("update database_endpoint set paired_with = null where name in (?, ?)")
                .params(primary, failover).update();
        for (Connection c : sessions.values()) {
            try {
                c.close();
            } catch (SQLException e) {
                // the session may have been ended by the fence already
            }
        }
        if (dedicatedPrimary) {
            try {
                primaryServer.close();
            } catch (IOException | RuntimeException e) {
                // a killed server has nothing left to stop
            }
        }
    }
}
