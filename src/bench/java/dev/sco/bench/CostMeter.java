package dev.sco.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * An orchestrator database shared by several orchestrator processes, started by the harness as
 * the orchestrator starts its embedded one (same server settings) plus {@code pg_stat_statements},
 * so the database's cost of a measured phase can be read: statements, rows, WAL bytes, database
 * growth, and the CPU time of the PostgreSQL processes.
 */
final class CostMeter implements AutoCloseable {

    /** Counters at one moment; {@link #minus} gives a phase's cost. */
    record Snapshot(long statements, long rows, long walBytes, long commits, long databaseBytes, long cpuMillis,
                    long nanos) {

        Snapshot minus(Snapshot before) {
            return new Snapshot(statements - before.statements, rows - before.rows, walBytes - before.walBytes,
                    commits - before.commits, databaseBytes - before.databaseBytes, cpuMillis - before.cpuMillis,
                    nanos - before.nanos);
        }

        double seconds() {
            return nanos / 1e9;
        }
    }

    private final EmbeddedPostgres postgres;
    private final Connection connection;

    private CostMeter(EmbeddedPostgres postgres, Connection connection) {
        this.postgres = postgres;
        this.connection = connection;
    }

    static CostMeter start(Path dataDir) throws IOException, SQLException {
        Files.createDirectories(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(true)
                .setPGStartupWait(Duration.ofSeconds(30))
                .setServerConfig("max_connections", "300")
                .setServerConfig("max_wal_senders", "0")
                .setServerConfig("wal_level", "minimal")
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("pg_stat_statements.track", "top")
                .start();
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        Connection connection = DriverManager.getConnection(jdbcUrl(postgres), properties);
        try (Statement statement = connection.createStatement()) {
            statement.execute("create extension if not exists pg_stat_statements");
        }
        return new CostMeter(postgres, connection);
    }

    private static String jdbcUrl(EmbeddedPostgres postgres) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    String jdbcUrl() {
        return jdbcUrl(postgres);
    }

    /** Reads every counter; the harness's own reading statements are excluded from the statement counts. */
    synchronized Snapshot snapshot() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("""
                     select (select coalesce(sum(calls), 0) from pg_stat_statements
                              where query not like '%pg_stat_statements%' and query not like '%pg_stat_wal%'),
                            (select coalesce(sum(rows), 0) from pg_stat_statements
                              where query not like '%pg_stat_statements%' and query not like '%pg_stat_wal%'),
                            (select wal_bytes from pg_stat_wal),
                            (select xact_commit from pg_stat_database where datname = current_database()),
                            pg_database_size(current_database())""")) {
            rs.next();
            return new Snapshot(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                    cpuMillis(postgresPid()), System.nanoTime());
        }
    }

    /** Bytes of the largest tables (with indexes and TOAST), for the growth per operation. */
    synchronized List<String[]> largestTables(int limit) throws SQLException {
        List<String[]> tables = new java.util.ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select relname, pg_total_relation_size(relid), n_live_tup "
                     + "from pg_stat_user_tables order by 2 desc limit " + limit)) {
            while (rs.next()) {
                tables.add(new String[] {rs.getString(1), Long.toString(rs.getLong(2)), Long.toString(rs.getLong(3))});
            }
        }
        return tables;
    }

    long postgresPid() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select pid from pg_stat_activity where backend_type = 'checkpointer'")) {
            rs.next();
            return ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElseThrow();
        }
    }

    /** User + system CPU of a process and its children (for PostgreSQL: the postmaster and every backend). */
    static long cpuMillis(long pid) {
        long total = processCpuMillis(pid);
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        if (handle != null) {
            total += handle.children().mapToLong(child -> processCpuMillis(child.pid())).sum();
        }
        return total;
    }

    /** utime + stime of one process from /proc (clock ticks of 10 ms). */
    static long processCpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // The server stops next anyway.
        }
        postgres.close();
    }
}
