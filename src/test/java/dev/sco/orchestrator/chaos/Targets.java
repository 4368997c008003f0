package dev.sco.orchestrator.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import javax.sql.DataSource;

import dev.sco.orchestrator.platform.demo.SampleDataGenerator;
import dev.sco.orchestrator.platform.demo.SampleSchema;
import dev.sco.orchestrator.platform.target.CopyRequest;
import dev.sco.orchestrator.platform.target.CopyStream;
import dev.sco.orchestrator.platform.target.ScriptExecutor;
import dev.sco.orchestrator.platform.target.SqlScript;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The target databases of the chaos run: each pair is a primary and a failover database on
 * embedded PostgreSQL servers of their own (separate processes, so killing an orchestrator node
 * touches none of them), with the sample schema of the demo ({@code sql/sample/monitored-schema.sql}).
 * Everything about what a pair synchronises is set up here and in {@link #register}, in one place.
 */
final class Targets implements AutoCloseable {

    /** The environment variable every registration names as its password (embedded servers trust any password). */
    static final String PASSWORD_ENV = "ORCHESTRATOR_TARGET_CHAOS";

    private final EmbeddedPostgres primaries;
    private final EmbeddedPostgres failovers;
    private final List<EmbeddedPostgres> dedicated = new java.util.ArrayList<>();

    Targets() throws IOException {
        primaries = EmbeddedPostgres.builder().start();
        failovers = EmbeddedPostgres.builder().start();
    }

    /** A pair: a primary (on the shared primary server, or on a server of its own that may be killed) and its failover database. */
    final class Pair {
        final String primary;
        final String failover;
        final EmbeddedPostgres primaryServer;
        final boolean dedicated;

        Pair(String primary, String failover, EmbeddedPostgres primaryServer, boolean dedicated) {
            this.primary = primary;
            this.failover = failover;
            this.primaryServer = primaryServer;
            this.dedicated = dedicated;
        }

        DataSource primaryDs() {
            return primaryServer.getDatabase("postgres", primary);
        }

        DataSource failoverDs() {
            return failovers.getDatabase("postgres", failover);
        }

        String primaryUrl() {
            return "jdbc:postgresql://localhost:" + primaryServer.getPort() + "/" + primary;
        }

        String failoverUrl() {
            return "jdbc:postgresql://localhost:" + failovers.getPort() + "/" + failover;
        }

        JdbcClient onPrimary() {
            return JdbcClient.create(primaryDs());
        }

        JdbcClient onFailover() {
            return JdbcClient.create(failoverDs());
        }

        /** One plain copy of every sample table onto the failover database, as a first full sync would leave it. */
        void copyPrimaryToFailover() throws SQLException {
            SampleSchema.ensurePartitions(failoverDs(), LocalDate.now().minusDays(30), LocalDate.now().plusDays(7));
            try (Connection source = primaryDs().getConnection(); Connection target = failoverDs().getConnection()) {
                target.setAutoCommit(false);
                for (var table : SampleSchema.TABLES) {
                    CopyStream.copy(source, target, CopyRequest.table(SampleSchema.SCHEMA, table.name()));
                }
                target.commit();
            }
        }

        /** kill -9 of the dedicated primary's postmaster: the server dies without shutting down. */
        void killPrimaryServer() throws SQLException {
            if (!dedicated) {
                throw new IllegalStateException("only a dedicated primary may be killed");
            }
            ProcessHandle postmaster;
            try (Connection c = primaryDs().getConnection(); Statement s = c.createStatement();
                 var rs = s.executeQuery("select pg_backend_pid()")) {
                rs.next();
                postmaster = ProcessHandle.of(rs.getLong(1)).flatMap(ProcessHandle::parent).orElseThrow();
            }
            postmaster.destroyForcibly();
            postmaster.onExit().join();
        }
    }

    /** Creates both databases with the sample schema, data on the primary, and the failover database made a sync target. */
    Pair pair(String primary, String failover, boolean dedicatedPrimary) throws IOException {
        EmbeddedPostgres server = dedicatedPrimary ? EmbeddedPostgres.builder().start() : primaries;
        if (dedicatedPrimary) {
            dedicated.add(server);
        }
        JdbcClient.create(server.getPostgresDatabase()).sql("create database " + primary).update();
        JdbcClient.create(failovers.getPostgresDatabase()).sql("create database " + failover).update();
        Pair pair = new Pair(primary, failover, server, dedicatedPrimary);
        SampleSchema.install(pair.primaryDs(), primary);
        SampleSchema.install(pair.failoverDs(), failover);
        SampleDataGenerator.generate(pair.primaryDs(), Instant.now(), 20, 20, 2);
        ScriptExecutor.execute(pair.failoverDs(), failover, SqlScript.operational("make-sync-target"),
                Map.of("schema", SampleSchema.SCHEMA), false);
        return pair;
    }

    /** Registers the pair through the API (failover database first, then the primary naming it). */
    static void register(JarNode node, String admin, Pair pair) {
        node.call("PUT", "/api/databases/" + pair.failover, admin, Map.of("jdbcUrl", pair.failoverUrl(),
                "username", "postgres", "passwordEnv", PASSWORD_ENV, "role", "failover"));
        node.call("PUT", "/api/databases/" + pair.primary, admin, Map.of("jdbcUrl", pair.primaryUrl(),
                "username", "postgres", "passwordEnv", PASSWORD_ENV, "role", "primary", "pairedWith", pair.failover));
        // What the pair synchronises: the sample's tables, registered as any estate registers its own.
        List<Map<String, Object>> tables = SampleSchema.TABLES.stream().map(t -> {
            Map<String, Object> table = new java.util.LinkedHashMap<>();
            table.put("name", t.name());
            table.put("kind", t.kind());
            if (t.incrementColumn() != null) {
                table.put("incrementColumn", t.incrementColumn());
            }
            table.put("kpi", SampleSchema.KPI_TABLE.equals(t.name()));
            return table;
        }).toList();
        node.call("PUT", "/api/sync/" + pair.primary + "/tables", admin,
                Map.of("schema", SampleSchema.SCHEMA, "tables", tables));
    }

    /**
     * The process among {@code pids} that owns the client end of a TCP connection from local port
     * {@code port} (what {@code pg_stat_activity.client_port} names), found through /proc (Linux).
     */
    static Optional<Long> ownerOfLocalPort(int port, Collection<Long> pids) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file).stream().skip(1).toList()) {
                String[] fields = line.trim().split("\\s+");
                String local = fields[1];
                if (Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16) == port) {
                    inodes.add("socket:[" + fields[9] + "]");
                }
            }
        }
        for (long pid : pids) {
            try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
                boolean owns = fds.anyMatch(fd -> {
                    try {
                        return inodes.contains(Files.readSymbolicLink(fd).toString());
                    } catch (IOException e) {
                        return false;
                    }
                });
                if (owns) {
                    return Optional.of(pid);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        List<EmbeddedPostgres> servers = new java.util.ArrayList<>(List.of(primaries, failovers));
        servers.addAll(dedicated);
        for (EmbeddedPostgres server : servers) {
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                // best effort at the end of the run
            }
        }
    }
}
