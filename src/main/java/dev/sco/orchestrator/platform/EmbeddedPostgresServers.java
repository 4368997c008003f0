package dev.sco.orchestrator.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: real PostgreSQL servers started from the binaries shipped in a Maven
 * artifact, each keeping its data in its own directory so a restart loses nothing.
 * <p>
 * The orchestrator's own database is always started here unless an external one is configured;
 * the demo estate adds a primary and a failover sample database.
 */
public final class EmbeddedPostgresServers implements AutoCloseable {

    public static final String ORCHESTRATOR = "orchestrator";
    public static final String DEMO_PRIMARY = "demo-primary";
    public static final String DEMO_FAILOVER = "demo-failover";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServers.class);

    private final Map<String, EmbeddedPostgres> servers;
    private final Path dataRoot;
    /** The port each server was started on: a stopped server starts again on the same one. */
    private final Map<String, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();

    private EmbeddedPostgresServers(Map<String, EmbeddedPostgres> servers, Path dataRoot) {
        this.servers = new java.util.concurrent.ConcurrentHashMap<>(servers);
        this.dataRoot = dataRoot;
        servers.forEach((name, pg) -> ports.put(name, pg.getPort()));
    }

    /** Starts the named servers in parallel under {@code dataRoot/<name>}; port 0 means any free port. */
    public static EmbeddedPostgresServers start(Path dataRoot, List<String> names, int firstPort) {
        Map<String, CompletableFuture<EmbeddedPostgres>> starting = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int port = firstPort == 0 ? 0 : firstPort + i;
            starting.put(name, CompletableFuture.supplyAsync(() -> startOne(dataRoot.resolve(name), port)));
        }
        Map<String, EmbeddedPostgres> started = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (Map.Entry<String, CompletableFuture<EmbeddedPostgres>> entry : starting.entrySet()) {
            try {
                started.put(entry.getKey(), entry.getValue().join());
            } catch (CompletionException e) {
                failure = new IllegalStateException("Embedded PostgreSQL '" + entry.getKey() + "' did not start: "
                        + e.getCause().getMessage(), e.getCause());
            }
        }
        EmbeddedPostgresServers servers = new EmbeddedPostgresServers(started, dataRoot);
        if (failure != null) {
            servers.close();
            throw failure;
        }
        return servers;
    }

    private static EmbeddedPostgres startOne(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            stopOrphanedPostmaster(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // Stopped by the Spring context after everything that uses it, not by a JVM
                    // hook racing the engine's last writes at shutdown.
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("max_wal_senders", "0")
                    .setServerConfig("wal_level", "minimal");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            log.info("Embedded PostgreSQL '{}' listening on port {} with data in {}", dataDir.getFileName(), pg.getPort(),
                    dataDir.toAbsolutePath());
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A JVM killed with -9 leaves its postmaster running on the data directory; a new start would
     * then fail. Ask that orphan to shut down (SIGTERM, smart mode: it has no clients left).
     */
    private static void stopOrphanedPostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        log.warn("Stopping orphaned PostgreSQL (pid {}) left on {} by an earlier run", pid, dataDir);
        orphan.get().destroy();
        // Wait for its exit (bounded); starting on the same data directory before it is gone fails.
        try {
            orphan.get().onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("Orphaned PostgreSQL (pid {}) did not exit within 20 s: {}", pid, e.toString());
        }
    }

    /**
     * Stops one server (the demo fencing agent's fence: the demo primary stops answering); returns
     * false when it was not running. Its data stays; {@link #restart} starts it on the same port.
     */
    public synchronized boolean stop(String name) {
        if (!ports.containsKey(name)) {
            throw new IllegalArgumentException("No embedded PostgreSQL named " + name);
        }
        EmbeddedPostgres pg = servers.remove(name);
        if (pg == null) {
            return false;
        }
        try {
            pg.close();
        } catch (IOException | RuntimeException e) {
            // A server killed from outside cannot be stopped again; the caller checks the port.
            log.warn("Embedded PostgreSQL '{}' did not stop cleanly: {}", name, e.getMessage());
        }
        log.warn("Embedded PostgreSQL '{}' stopped (port {})", name, ports.get(name));
        return true;
    }

    /** Starts a server {@link #stop stopped} before, on its former port; false when it was running. */
    public synchronized boolean restart(String name) {
        Integer port = ports.get(name);
        if (port == null) {
            throw new IllegalArgumentException("No embedded PostgreSQL named " + name);
        }
        if (servers.containsKey(name)) {
            return false;
        }
        servers.put(name, startOne(dataRoot.resolve(name), port));
        return true;
    }

    /** Whether the server is running (it may have been {@link #stop stopped}). */
    public boolean running(String name) {
        return servers.containsKey(name);
    }

    /** The port the server listens on, or listened on before it was stopped. */
    public int port(String name) {
        Integer port = ports.get(name);
        if (port == null) {
            throw new IllegalArgumentException("No embedded PostgreSQL named " + name);
        }
        return port;
    }

    public EmbeddedPostgres server(String name) {
        EmbeddedPostgres pg = servers.get(name);
        if (pg == null) {
            throw new IllegalArgumentException("No embedded PostgreSQL named " + name);
        }
        return pg;
    }

    public boolean has(String name) {
        return ports.containsKey(name);
    }

    /** JDBC URL of the server's {@code postgres} database (user {@code postgres}, no password). */
    public String jdbcUrl(String name) {
        return "jdbc:postgresql://localhost:" + port(name) + "/postgres";
    }

    @Override
    public void close() {
        servers.forEach((name, pg) -> {
            try {
                pg.close();
            } catch (IOException | RuntimeException e) {
                log.warn("Embedded PostgreSQL '{}' did not stop cleanly: {}", name, e.getMessage());
            }
        });
    }
}
