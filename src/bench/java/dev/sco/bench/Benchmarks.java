package dev.sco.bench;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import dev.sco.orchestrator.postclone.PostCloneCheckBench;
import dev.sco.orchestrator.serverfailover.HeartbeatDetectorBench;

/**
 * The benchmark command's harness (entry point: {@code src/bench/run.sh}). Runs P9 (cold start),
 * P7 (process starts over REST, orchestrator against a stock engine in the same run), P1 (heartbeat
 * ingestion), P2 (heartbeat detector pass), P3 (post-clone check over N agents), P4 (timer
 * punctuality), P5 (sync against the raw COPY pipe) and P6 (database failover, approval to every
 * consumer verified) and rewrites {@code docs/benchmarks.md}. Sizes
 * and the selection come from the environment, see run.sh.
 */
public final class Benchmarks {

    static final String READINESS = "/actuator/health/readiness";
    private static final Duration BATCH_LIMIT = Duration.ofMinutes(10);
    private static final int LAUNCH_ATTEMPTS = 3;

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final String javaCommand = ProcessHandle.current().info().command().orElse("java");
    private final Path work;
    private final Path logs = Path.of("target/bench/logs").toAbsolutePath();
    private final List<String> orphans = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    /** The data directory of the last cold start, which the reused runs start on again. */
    private Path lastDataDir;

    private Benchmarks(Settings settings, Path work) {
        this.settings = settings;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvironment();
        Path work = Files.createTempDirectory("sco-bench-");
        Benchmarks benchmarks = new Benchmarks(settings, work);
        Files.createDirectories(benchmarks.logs);
        Report report = new Report(settings, MachineFacts.collect(), Report.previous(settings.out()));
        OtherWork other = OtherWork.start(work);
        try {
            if (settings.selected("P9")) {
                benchmarks.coldStarts(report);
            }
            if (settings.selected("P7")) {
                benchmarks.processStarts(report);
            }
            if (settings.selected("P1")) {
                benchmarks.heartbeats(report);
            }
            if (settings.selected("P2")) {
                benchmarks.detection(report);
            }
            if (settings.selected("P3")) {
                benchmarks.postCloneChecks(report);
            }
            if (settings.selected("P4")) {
                benchmarks.timerPunctuality(report);
            }
            if (settings.selected("P5")) {
                benchmarks.syncThroughput(report);
            }
            if (settings.selected("P6")) {
                benchmarks.databaseFailovers(report);
            }
            if (settings.selected("P6b")) {
                benchmarks.unattendedFailovers(report);
            }
            if (settings.selected("P8")) {
                benchmarks.memory(report);
            }
            if (settings.selected("Nodes")) {
                benchmarks.nodes(report);
            }
        } finally {
            other.close();
            report.finish(benchmarks.orphans, benchmarks.failures, other.result());
            Files.createDirectories(settings.out().toAbsolutePath().getParent());
            Files.writeString(settings.out(), report.markdown());
            System.out.println("Wrote " + settings.out());
            deleteTree(work);
        }
        if (!benchmarks.failures.isEmpty() || !benchmarks.orphans.isEmpty()) {
            System.exit(1);
        }
    }

    // ---- P9 ---------------------------------------------------------------------------------

    private void coldStarts(Report report) throws InterruptedException {
        Path reused = null;
        for (int run = 1; run <= settings.p9Runs(); run++) {
            Path dataDir = work.resolve("p9-fresh-" + run);
            report.coldStart("fresh", timeColdStart(dataDir, true, "p9-fresh-" + run));
            if (reused != null) {
                deleteTree(reused);
            }
            reused = lastDataDir;
        }
        for (int run = 1; run <= settings.p9Runs() && reused != null; run++) {
            report.coldStart("reused", timeColdStart(reused, false, "p9-reused-" + run));
        }
    }

    /** A launch that lost its port is not a measurement: it is repeated on a new port (and a new fresh directory). */
    private Optional<Double> timeColdStart(Path dataDir, boolean fresh, String label) throws InterruptedException {
        for (int attempt = 1; attempt <= LAUNCH_ATTEMPTS; attempt++) {
            Path dir = fresh && attempt > 1 ? dataDir.resolveSibling(dataDir.getFileName() + "-attempt-" + attempt) : dataDir;
            lastDataDir = dir;
            ServiceProcess service = launchOrchestrator(dir, ServiceProcess.freeLoopbackPort(), label);
            try {
                double seconds = service.awaitReady(http, READINESS);
                System.out.printf("P9 %s: ready after %.2f s%n", label, seconds);
                return Optional.of(seconds);
            } catch (ServiceProcess.PortTakenException e) {
                System.out.println("P9 " + label + ": " + e.getMessage() + "; launching again");
            } catch (RuntimeException e) {
                fail("P9 " + label + ": " + e.getMessage());
                return Optional.empty();
            } finally {
                stop(service, label);
            }
        }
        fail("P9 " + label + ": lost its port " + LAUNCH_ATTEMPTS + " times");
        return Optional.empty();
    }

    private ServiceProcess launchOrchestrator(Path dataDir, int port, String label) {
        return launchOrchestrator(dataDir, port, label, Map.of());
    }

    private ServiceProcess launchOrchestrator(Path dataDir, int port, String label, Map<String, String> settings) {
        return launchOrchestrator(dataDir, port, label, settings, List.of());
    }

    private ServiceProcess launchOrchestrator(Path dataDir, int port, String label, Map<String, String> settings,
                                              List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", this.settings.jar().toString(), "--server.port=" + port,
                "--server.address=127.0.0.1"));
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.put("ORCHESTRATOR_DATA_DIR", dataDir.toString());
        return ServiceProcess.launch("orchestrator", command, env, port, dataDir, logs.resolve(label + ".log"));
    }

    // ---- P7 ---------------------------------------------------------------------------------

    /**
     * Both engines run side by side (each with its own PostgreSQL), loaded one at a time: after the
     * warm-ups, each size is measured on one engine right after the other, and which one goes first
     * alternates from size to size, so that the machine's drift over minutes weighs on both alike.
     */
    private void processStarts(Report report) throws InterruptedException {
        ServiceProcess orchestrator = null;
        ServiceProcess stock = null;
        try {
            orchestrator = launchReady("p7-orchestrator", (dir, port) -> launchOrchestrator(dir, port, "p7-orchestrator",
                            Map.of(), SHIPPED_GC),
                    READINESS);
            stock = launchReady("p7-stock", (dir, port) -> ServiceProcess.launch("stock engine",
                    List.of(javaCommand, "-Dstock.data-dir=" + dir.resolve("pg"), "-cp", settings.stockClasspath(),
                            "dev.sco.bench.stock.StockEngineApplication",
                            "--server.port=" + port, "--server.address=127.0.0.1"),
                    Map.of(), port, dir, logs.resolve("p7-stock.log")), "/engine-rest/engine");
            Map<String, EngineRestClient> engines = new LinkedHashMap<>();
            engines.put("orchestrator", new EngineRestClient(http, orchestrator.baseUrl(), Optional.of(settings.user())));
            engines.put("stock", new EngineRestClient(http, stock.baseUrl(), Optional.empty()));
            for (Map.Entry<String, EngineRestClient> engine : engines.entrySet()) {
                warmUp(engine.getKey(), engine.getValue());
            }
            Map<String, ServiceProcess> services = Map.of("orchestrator", orchestrator, "stock", stock);
            List<String> order = new ArrayList<>(engines.keySet());
            for (int size : settings.p7Sizes()) {
                for (String engine : order) {
                    ServiceProcess measured = services.get(engine);
                    ServiceProcess other = services.get(engine.equals("orchestrator") ? "stock" : "orchestrator");
                    // The engine has idled through the other one's batch: uncounted starts first, so the batch
                    // measures starts, not the wake-up (connections, threads, caches after the pause).
                    engines.get(engine).startInstances(REWARM_STARTS, settings.concurrency(), BATCH_LIMIT);
                    long cpuBefore = engineCpuMillis(measured);
                    long otherBefore = engineCpuMillis(other);
                    LatencyStats stats = engines.get(engine).startInstances(size, settings.concurrency(), BATCH_LIMIT);
                    double cpuPerStart = (engineCpuMillis(measured) - cpuBefore) / (double) Math.max(1, stats.completed());
                    double otherCores = (engineCpuMillis(other) - otherBefore) / 1000.0 / Math.max(1e-9, stats.seconds());
                    System.out.printf("P7 %s %d starts: %.0f/s, p50 %.1f ms, p99 %.1f ms, errors %d, %.2f CPU ms per "
                                    + "start; the other engine meanwhile %.2f cores%n", engine, size, stats.perSecond(),
                            stats.p50Millis(), stats.p99Millis(), stats.errors(), cpuPerStart, otherCores);
                    report.processStarts(engine, size, stats, cpuPerStart, otherCores);
                }
                Collections.reverse(order);
            }
        } catch (IOException | RuntimeException e) {
            fail("P7: " + e.getMessage());
        } finally {
            if (orchestrator != null) {
                stop(orchestrator, "p7-orchestrator");
            }
            if (stock != null) {
                stop(stock, "p7-stock");
            }
        }
    }

    // ---- P1 ---------------------------------------------------------------------------------

    private void heartbeats(Report report) throws InterruptedException {
        ServiceProcess orchestrator = null;
        try {
            orchestrator = launchReady("p1-orchestrator", (dir, port) -> launchOrchestrator(dir, port, "p1-orchestrator"),
                    READINESS);
            HeartbeatIngestion ingestion = new HeartbeatIngestion(http, new ApiClient(http, orchestrator.baseUrl()),
                    settings.user());
            for (int servers : settings.p1Sizes()) {
                HeartbeatIngestion.Result r = ingestion.measure(servers, settings.p1Beats(), settings.p1Singles(),
                        settings.concurrency());
                System.out.printf("P1 %d servers: registered in %.1f s; batches %.0f heartbeats/s (p50 %.1f ms, "
                                + "p99 %.1f ms per batch of %d, errors %d); single %.0f/s (p50 %.1f ms, p99 %.1f ms, "
                                + "errors %d)%n", servers, r.registerSeconds(), r.entriesPerSecond(),
                        r.batches().p50Millis(), r.batches().p99Millis(), r.batchEntries(), r.batches().errors(),
                        r.singles().perSecond(), r.singles().p50Millis(), r.singles().p99Millis(), r.singles().errors());
                report.heartbeats(servers, r);
            }
        } catch (RuntimeException e) {
            fail("P1: " + e.getMessage());
        } finally {
            if (orchestrator != null) {
                stop(orchestrator, "p1-orchestrator");
            }
        }
    }

    // ---- P2 ---------------------------------------------------------------------------------

    private void detection(Report report) throws InterruptedException {
        Path dataRoot = work.resolve("p2");
        try (HeartbeatDetectorBench bench = HeartbeatDetectorBench.start(dataRoot)) {
            for (int servers : settings.p2Sizes()) {
                List<HeartbeatDetectorBench.Run> runs = bench.measure(servers, settings.p2Runs());
                runs.forEach(r -> System.out.printf("P2 %d servers: pass with %d Down %.1f ms, quiet pass %.1f ms%n",
                        servers, r.down(), r.actingMillis(), r.quietMillis()));
                report.detection(servers, runs);
            }
        } catch (RuntimeException e) {
            fail("P2: " + e);
        }
        ServiceProcess.postgresUnder(dataRoot).forEach(left -> {
            orphans.add("p2: " + left.pid());
            left.destroy();
        });
        detectionLatency(report);
    }

    /**
     * Last heartbeat → failover process started, against a running orchestrator detecting every
     * second; a fresh one per size, so the silent fleet of one size does not load the next.
     */
    private void detectionLatency(Report report) throws InterruptedException {
        for (int servers : new int[] {1_000, 5_000, 10_000}) {
            ServiceProcess orchestrator = null;
            String label = "p2-orchestrator-" + servers;
            try {
                orchestrator = launchReady(label, (dir, port) -> launchOrchestrator(dir, port, label,
                        Map.of("ORCHESTRATOR_DETECTOR_INTERVAL", "1s", "ORCHESTRATOR_DETECTOR_GRACE", "0s")), READINESS);
                List<DetectionLatency.Run> runs = new DetectionLatency(new ApiClient(http, orchestrator.baseUrl()),
                        settings.user()).measure(servers);
                runs.forEach(r -> System.out.printf("P2 latency %d servers: %s last heartbeat -> process started %.0f ms%n",
                        servers, r.server(), r.millis()));
                report.detectionLatency(servers, runs);
            } catch (IOException | RuntimeException e) {
                fail("P2 latency: " + e);
            } finally {
                if (orchestrator != null) {
                    stop(orchestrator, label);
                }
            }
        }
    }

    // ---- P3 ---------------------------------------------------------------------------------

    private void postCloneChecks(Report report) {
        Path dataRoot = work.resolve("p3");
        try (PostCloneCheckBench bench = PostCloneCheckBench.start(dataRoot)) {
            for (int agents : settings.p3Sizes()) {
                List<PostCloneCheckBench.Run> runs = bench.measure(agents, settings.p3Runs());
                runs.forEach(r -> System.out.printf(
                        "P3 %d agents: snapshot %.1f ms, check 1 %.1f ms (%d issues), check 2 %.1f ms%n", agents,
                        r.snapshotMillis(), r.firstCheckMillis(), r.newIssues(), r.secondCheckMillis()));
                report.postCloneCheck(agents, runs);
            }
        } catch (RuntimeException e) {
            fail("P3: " + e);
        }
        ServiceProcess.postgresUnder(dataRoot).forEach(left -> {
            orphans.add("p3: " + left.pid());
            left.destroy();
        });
    }

    // ---- P4 ---------------------------------------------------------------------------------

    private void timerPunctuality(Report report) throws InterruptedException {
        ServiceProcess orchestrator = null;
        try {
            orchestrator = launchReady("p4-orchestrator", (dir, port) -> launchOrchestrator(dir, port, "p4-orchestrator"),
                    READINESS);
            TimerPunctuality timers = new TimerPunctuality(http, new EngineRestClient(http, orchestrator.baseUrl(),
                    Optional.of(settings.user())), settings.concurrency());
            timers.deploy();
            for (int size : settings.p4Sizes()) {
                TimerPunctuality.Result result = timers.measure(size, Duration.ofSeconds(settings.p4LeadSeconds()),
                        Duration.ofSeconds(settings.p4SpreadSeconds()));
                System.out.printf("P4 %d timers: %d started (%d after due), %d fired, lateness p50 %d ms, p99 %d ms, "
                                + "max %d ms, errors %d%n", size, result.started(), result.startedAfterDue(),
                        result.fired(), result.percentile(0.50), result.percentile(0.99), result.max(),
                        result.errors());
                report.timers(size, result);
            }
        } catch (IOException | RuntimeException e) {
            fail("P4: " + e.getMessage());
        } finally {
            if (orchestrator != null) {
                stop(orchestrator, "p4-orchestrator");
            }
        }
    }

    // ---- P5 ---------------------------------------------------------------------------------

    /** Settings of the P5 orchestrator: runs only when asked, any time of day, no overlap re-read. */
    static final Map<String, String> P5_SETTINGS = Map.of("ORCHESTRATOR_SYNC_SCHEDULE", "false",
            "ORCHESTRATOR_SYNC_WINDOW_MINUTES", "0", "ORCHESTRATOR_SYNC_OVERLAP", "0s");

    private void syncThroughput(Report report) throws InterruptedException {
        ServiceProcess orchestrator = null;
        try {
            orchestrator = launchReady("p5-orchestrator",
                    (dir, port) -> launchOrchestrator(dir, port, "p5-orchestrator", P5_SETTINGS), READINESS);
            SyncThroughput sync = new SyncThroughput(new ApiClient(http, orchestrator.baseUrl()), settings.user());
            // One uncounted round first (sync run and raw pipe), as P1 and P7 warm up: the first
            // copy of a fresh JVM runs the copy path interpreted, in the service and in the harness.
            SyncThroughput.Result warmUp = sync.measure(SyncThroughput.WARM_UP_EVENTS, false);
            System.out.printf("P5 warm-up, not counted: %d events, sync run %.0f ms, raw pipe %.0f ms%n",
                    warmUp.events(), warmUp.syncMillis(), warmUp.rawMillis());
            // Rounds alternate which of the two goes first, so neither always meets the servers
            // in the state the other left them in (dirty pages, autovacuum of the tables just loaded).
            for (int events : settings.p5Sizes()) {
                for (int round = 0; round < settings.p5RoundsOf(events); round++) {
                    SyncThroughput.Result r = sync.measure(events, round % 2 == 1);
                    System.out.printf("P5 %d events (%d rows), round %d (%s first): sync run %.0f ms (%d rows "
                                    + "copied), raw pipe %.0f ms, ratio %.2f; nothing new %s ms%n", events, r.rows(),
                            round + 1, r.rawFirst() ? "raw pipe" : "sync run", r.syncMillis(), r.rowsCopied(),
                            r.rawMillis(), r.ratio(), r.nothingNewMillis());
                    report.sync(events, r);
                }
            }
        } catch (IOException | java.sql.SQLException | RuntimeException e) {
            fail("P5: " + e.getMessage());
        } finally {
            if (orchestrator != null) {
                stop(orchestrator, "p5-orchestrator");
            }
        }
    }

    // ---- P6 ---------------------------------------------------------------------------------

    private void databaseFailovers(Report report) throws InterruptedException {
        for (int run = 1; run <= settings.p6Runs(); run++) {
            String label = "p6-orchestrator-" + run;
            ServiceProcess orchestrator = null;
            DatabaseFailoverTiming timing = null;
            try {
                orchestrator = launchReady(label, (dir, port) -> launchOrchestrator(dir, port, label), READINESS);
                timing = new DatabaseFailoverTiming(new ApiClient(http, orchestrator.baseUrl()),
                        new EngineRestClient(http, orchestrator.baseUrl(), Optional.of(settings.user())), settings.user(),
                        "dba:dba");
                DatabaseFailoverTiming.Result r = timing.measure();
                System.out.printf("P6 run %d: approval to process end %.0f ms (wall %.0f ms), consumers moved after "
                                + "%.0f ms, ended in %s%s%n", run, r.approvedToEndMillis(), r.wallMillis(),
                        r.consumersMovedMillis(), r.endEvent(),
                        r.deployedByHarness() ? " (model deployed by the harness: the jar had none)" : "");
                r.steps().forEach(s -> System.out.printf("    %-40s waited %6.0f ms, took %6.0f ms%n", s.activityId(),
                        s.waitMillis(), s.millis()));
                report.failover(r);
            } catch (IOException | java.sql.SQLException | RuntimeException e) {
                fail("P6 run " + run + ": " + e.getMessage());
            } finally {
                if (timing != null) {
                    timing.closeConsumers();
                }
                if (orchestrator != null) {
                    stop(orchestrator, label);
                }
            }
        }
    }


    // ---- P6b --------------------------------------------------------------------------------

    private void unattendedFailovers(Report report) throws InterruptedException {
        for (int run = 1; run <= settings.p6bRuns(); run++) {
            String label = "p6b-orchestrator-" + run;
            ServiceProcess orchestrator = null;
            UnattendedFailoverTiming timing = null;
            try {
                orchestrator = launchReady(label, (dir, port) -> launchOrchestrator(dir, port, label,
                        UnattendedFailoverTiming.SETTINGS), READINESS);
                timing = new UnattendedFailoverTiming(new ApiClient(http, orchestrator.baseUrl()), settings.user(),
                        orchestrator.workDir());
                UnattendedFailoverTiming.Result r = timing.measure();
                System.out.printf("P6b run %d: kill -> detected %.0f ms, last consumer moved %.0f ms, verified (end) "
                                + "%.0f ms, ended in %s, user tasks %d, steps %s%n", run, r.detectedMillis(),
                        r.lastConsumerMillis(), r.verifiedMillis(), r.endEvent(), r.userTasks(), r.stepMillis());
                report.unattendedFailover(r);
            } catch (IOException | java.sql.SQLException | RuntimeException e) {
                fail("P6b run " + run + ": " + e.getMessage());
            } finally {
                if (timing != null) {
                    timing.closeConsumers();
                }
                if (orchestrator != null) {
                    stop(orchestrator, label);
                }
            }
        }
    }

    // ---- P8 ---------------------------------------------------------------------------------

    /** P8's service: the P9 launch with a 512 MiB heap and the first post-clone check soon after the clone. */
    static final List<String> P8_JVM = List.of("-Xmx512m");
    /** Uncounted P7 starts on an engine right before each of its measured batches. */
    static final int REWARM_STARTS = 1_000;
    /** The collector the image runs the service with (Dockerfile); P7 measures the service as it ships. */
    static final List<String> SHIPPED_GC = List.of("-XX:+UseParallelGC");
    static final Map<String, String> P8_SETTINGS = Map.of("ORCHESTRATOR_POST_CLONE_FIRST_CHECK_AFTER", "5s",
            "ORCHESTRATOR_POST_CLONE_SECOND_CHECK_AFTER", "2h");

    private void memory(Report report) throws InterruptedException {
        ServiceProcess orchestrator = null;
        try {
            orchestrator = launchReady("p8-orchestrator", (dir, port) -> launchOrchestrator(dir, port, "p8-orchestrator",
                    P8_SETTINGS, P8_JVM), READINESS);
            MemoryBound.Result r = new MemoryBound(http, orchestrator, settings.user()).measure(settings.p8Servers(),
                    settings.p1Beats(), settings.p1Singles(), settings.concurrency(), settings.p8Agents(),
                    settings.p8DownAgents());
            System.out.printf("P8: %d servers (batch %.0f/s, single %.0f/s), %d agents registered in %.1f s, check 1 "
                            + "in %.1f s, OutOfMemoryError: %s%n", settings.p8Servers(), r.heartbeats().entriesPerSecond(),
                    r.heartbeats().singles().perSecond(), r.agents(), r.registerSeconds(), r.checkSeconds(),
                    r.outOfMemory());
            report.memory(r);
        } catch (IOException | RuntimeException e) {
            fail("P8: " + e.getMessage());
        } finally {
            if (orchestrator != null) {
                stop(orchestrator, "p8-orchestrator");
            }
        }
    }

    // ---- Nodes ------------------------------------------------------------------------------

    /** Node settings on the shared orchestrator database: no demo estate (it needs the embedded one). */
    static final String NODE_ADMIN = "bench-admin";
    static final String NODE_ADMIN_PASSWORD = "bench-admin-password-1";

    private void nodes(Report report) throws InterruptedException {
        Path root = work.resolve("nodes");
        List<ServiceProcess> running = new ArrayList<>();
        CostMeter meter = null;
        try {
            meter = CostMeter.start(root.resolve("orchestrator-db"));
            Map<String, String> env = Map.of("ORCHESTRATOR_DB_URL", meter.jdbcUrl(), "ORCHESTRATOR_DB_USER", "postgres",
                    // The harness's server trusts local connections; the setting must not be empty.
                    "ORCHESTRATOR_DB_PASSWORD", "unused-trust-auth", "ORCHESTRATOR_DEMO", "false",
                    "ORCHESTRATOR_ADMIN_USER", NODE_ADMIN, "ORCHESTRATOR_ADMIN_PASSWORD", NODE_ADMIN_PASSWORD);
            String user = NODE_ADMIN + ":" + NODE_ADMIN_PASSWORD;
            NodeCost cost = new NodeCost(http, meter, user, settings.nodeServers(), settings.concurrency());
            List<NodeCost.Node> nodes = new ArrayList<>();
            for (int count = 1; count <= 2; count++) {
                String label = "node-" + count;
                ServiceProcess node = launchReady(label, (dir, port) -> launchOrchestrator(dir, port, label, env),
                        READINESS);
                running.add(node);
                NodeCost.Node added = new NodeCost.Node(label, node.baseUrl(), node.pid());
                if (count == 1) {
                    cost.register(added);
                }
                cost.warmUp(added, settings.nodeWarmUpSingles(), settings.warmup());
                nodes.add(added);
                for (NodeCost.Phase phase : List.of(cost.batches(nodes, settings.nodeBeats()),
                        cost.singles(nodes, settings.nodeSingles()), cost.starts(nodes, settings.nodeStarts()))) {
                    System.out.printf("Nodes %d, %s: %s per node, %.0f/s in all; per operation %.2f statements, %.2f "
                                    + "rows, %.0f WAL bytes; CPU JVMs %d ms, PostgreSQL %d ms over %.1f s%n",
                            phase.nodes(), phase.operation(), phase.perNode().stream().map(v -> String.format("%.0f", v))
                                    .toList(), phase.total(), phase.perOperation(phase.database().statements()),
                            phase.perOperation(phase.database().rows()), phase.perOperation(phase.database().walBytes()),
                            phase.jvmCpu(), phase.database().cpuMillis(), phase.seconds());
                    report.nodePhase(phase);
                }
            }
            report.nodeTables(meter.largestTables(8));
        } catch (Exception e) {
            fail("Nodes: " + e);
        } finally {
            // The nodes first: they stop cleanly only while their database is up.
            for (int i = running.size() - 1; i >= 0; i--) {
                stop(running.get(i), "node-" + (i + 1));
            }
            if (meter != null) {
                try {
                    meter.close();
                } catch (IOException e) {
                    fail("Nodes: orchestrator database did not stop: " + e.getMessage());
                }
            }
        }
        ServiceProcess.postgresUnder(root).forEach(left -> {
            orphans.add("nodes: " + left.pid());
            left.destroy();
        });
    }

    /** A failed step: reported at the end, and printed now so a long run shows it at once. */
    private void fail(String message) {
        System.out.println("FAILED: " + message);
        failures.add(message);
    }

    interface Launcher {
        ServiceProcess launch(Path dataDir, int port);
    }

    /** Launches on a fresh directory and port until one attempt is ready; the caller stops it. */
    private ServiceProcess launchReady(String label, Launcher launcher, String readyPath) throws InterruptedException {
        for (int attempt = 1; attempt <= LAUNCH_ATTEMPTS; attempt++) {
            ServiceProcess service = launcher.launch(work.resolve(label + "-" + attempt), ServiceProcess.freeLoopbackPort());
            try {
                service.awaitReady(http, readyPath);
                return service;
            } catch (ServiceProcess.PortTakenException e) {
                System.out.println(label + ": " + e.getMessage() + "; launching again");
                stop(service, label);
            } catch (RuntimeException e) {
                stop(service, label);
                throw e;
            }
        }
        throw new IllegalStateException(label + " lost its port " + LAUNCH_ATTEMPTS + " times");
    }

    private void warmUp(String engine, EngineRestClient client) throws IOException, InterruptedException {
        client.deployModel();
        if (settings.warmup() > 0) {
            LatencyStats warm = client.startInstances(settings.warmup(), settings.concurrency(), BATCH_LIMIT);
            System.out.printf("P7 %s warm-up: %d starts, %.0f/s%n", engine, settings.warmup(), warm.perSecond());
        }
    }

    /**
     * User + system CPU so far of an engine: its JVM and its PostgreSQL servers (found by their data
     * directory under the engine's work directory) with their backends.
     */
    private static long engineCpuMillis(ServiceProcess service) {
        long total = CostMeter.processCpuMillis(service.pid());
        for (ProcessHandle postgres : ServiceProcess.postgresUnder(service.workDir())) {
            if (postgres.pid() != service.pid()) {
                total += CostMeter.cpuMillis(postgres.pid());
            }
        }
        return total;
    }

    private void stop(ServiceProcess service, String label) throws InterruptedException {
        List<String> left = service.stop();
        left.forEach(o -> orphans.add(label + ": " + o));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + root + ": " + e.getMessage());
        }
    }

    /** What to run, from the environment that run.sh sets. */
    record Settings(String command, String commit, Path jar, String stockClasspath, Path out, int p9Runs,
                    int[] p7Sizes, int concurrency, int warmup, String user, Set<String> only, int[] p3Sizes,
                    int p3Runs, int[] p4Sizes, int p4LeadSeconds, int p4SpreadSeconds, int[] p1Sizes, int p1Beats,
                    int p1Singles, int[] p2Sizes, int p2Runs, int[] p5Sizes, int[] p5Rounds, int p6Runs,
                    int p6bRuns, int p8Servers, int p8Agents, int p8DownAgents, int nodeServers, int nodeBeats,
                    int nodeSingles, int nodeStarts, int nodeWarmUpSingles) {

        static final String DEFAULT_SIZES = "1000,5000,20000";
        static final int DEFAULT_P9_RUNS = 3;
        /** Uncounted P7 starts per engine first: the JIT compiles the hot path in the first thousands. */
        static final int DEFAULT_WARMUP = 10_000;
        static final String DEFAULT_P3_SIZES = "1000,10000,100000";
        static final int DEFAULT_P3_RUNS = 5;
        static final String DEFAULT_P4_SIZES = "200,1000,3000";
        static final int DEFAULT_P4_SPREAD_SECONDS = 30;
        static final String DEFAULT_P1_SIZES = "1000,10000,50000";
        static final int DEFAULT_P1_BEATS = 200_000;
        static final int DEFAULT_P1_SINGLES = 50_000;
        static final String DEFAULT_P2_SIZES = "1000,10000,100000";
        static final int DEFAULT_P2_RUNS = 5;
        static final String DEFAULT_P5_SIZES = "50000,500000,2000000";
        /**
         * Rounds per P5 size: the smallest size runs for about a second per round, where a busy
         * moment of this shared machine moves one side by a third (ratios 0.66 to 0.99 in
         * consecutive rounds of the same code), so its median needs more rounds; they are cheap.
         */
        static final String DEFAULT_P5_ROUNDS = "7,3,3";
        static final int DEFAULT_P6_RUNS = 3;
        static final int DEFAULT_P6B_RUNS = 3;
        static final int DEFAULT_P8_SERVERS = 10_000;
        static final int DEFAULT_P8_AGENTS = 100_000;
        /**
         * Down agents of P8's clone: each becomes an issue with an operator task (one process start
         * each), which P3 leaves out; 1,000 keep the run within minutes on this machine.
         */
        static final int DEFAULT_P8_DOWN = 1_000;
        static final int DEFAULT_NODE_SERVERS = 10_000;
        static final int DEFAULT_NODE_BEATS = 100_000;
        static final int DEFAULT_NODE_SINGLES = 20_000;
        static final int DEFAULT_NODE_STARTS = 5_000;
        static final int DEFAULT_NODE_WARM_UP = 20_000;
        static final List<String> BENCHMARKS = List.of("P9", "P7", "P1", "P2", "P3", "P4", "P5", "P6", "P6b", "P8",
                "Nodes");

        static Settings fromEnvironment() throws IOException {
            Path runtimeClasspath = Path.of(env("BENCH_RUNTIME_CLASSPATH", "target/bench/runtime-classpath.txt"));
            String stockClasspath = Path.of("target/test-classes").toAbsolutePath() + File.pathSeparator
                    + Files.readString(runtimeClasspath).trim();
            Set<String> only = new LinkedHashSet<>();
            for (String name : env("BENCH_ONLY", String.join(",", BENCHMARKS)).split(",")) {
                String id = BENCHMARKS.stream().filter(b -> b.equalsIgnoreCase(name.trim())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("BENCH_ONLY names " + name + "; known: "
                                + BENCHMARKS));
                only.add(id);
            }
            return new Settings(env("BENCH_COMMAND", "src/bench/run.sh"), env("BENCH_COMMIT", "unknown"),
                    Path.of("target/orchestrator.jar").toAbsolutePath(), stockClasspath,
                    Path.of(env("BENCH_OUT", "docs/benchmarks.md")),
                    bounded("BENCH_P9_RUNS", DEFAULT_P9_RUNS, 1, 20), sizes("BENCH_P7_SIZES", DEFAULT_SIZES, 100_000),
                    bounded("BENCH_CONCURRENCY", 16, 1, 64), bounded("BENCH_WARMUP", DEFAULT_WARMUP, 0, 100_000),
                    "demo:demo", only, sizes("BENCH_P3_SIZES", DEFAULT_P3_SIZES, 1_000_000),
                    bounded("BENCH_P3_RUNS", DEFAULT_P3_RUNS, 1, 20), sizes("BENCH_P4_SIZES", DEFAULT_P4_SIZES, 20_000),
                    bounded("BENCH_P4_LEAD_SECONDS", 10, 5, 300),
                    bounded("BENCH_P4_SPREAD_SECONDS", DEFAULT_P4_SPREAD_SECONDS, 0, 600),
                    sizes("BENCH_P1_SIZES", DEFAULT_P1_SIZES, 200_000),
                    bounded("BENCH_P1_BEATS", DEFAULT_P1_BEATS, 1, 5_000_000),
                    bounded("BENCH_P1_SINGLES", DEFAULT_P1_SINGLES, 1, 1_000_000),
                    sizes("BENCH_P2_SIZES", DEFAULT_P2_SIZES, 1_000_000), bounded("BENCH_P2_RUNS", DEFAULT_P2_RUNS, 1, 20),
                    sizes("BENCH_P5_SIZES", DEFAULT_P5_SIZES, 20_000_000),
                    rounds(sizes("BENCH_P5_SIZES", DEFAULT_P5_SIZES, 20_000_000)),
                    bounded("BENCH_P6_RUNS", DEFAULT_P6_RUNS, 1, 10),
                    bounded("BENCH_P6B_RUNS", DEFAULT_P6B_RUNS, 1, 10),
                    bounded("BENCH_P8_SERVERS", DEFAULT_P8_SERVERS, 1, 200_000),
                    bounded("BENCH_P8_AGENTS", DEFAULT_P8_AGENTS, 1, 1_000_000),
                    bounded("BENCH_P8_DOWN", DEFAULT_P8_DOWN, 1, 10_000),
                    bounded("BENCH_NODE_SERVERS", DEFAULT_NODE_SERVERS, 1_000, 200_000),
                    bounded("BENCH_NODE_BEATS", DEFAULT_NODE_BEATS, 1_000, 5_000_000),
                    bounded("BENCH_NODE_SINGLES", DEFAULT_NODE_SINGLES, 1, 1_000_000),
                    bounded("BENCH_NODE_STARTS", DEFAULT_NODE_STARTS, 1, 100_000),
                    bounded("BENCH_NODE_WARM_UP", DEFAULT_NODE_WARM_UP, 0, 200_000));
        }

        boolean selected(String benchmark) {
            return only.contains(benchmark);
        }

        /** True when a selected benchmark runs below its documented sizes. */
        boolean smoke() {
            return selected("P9") && p9Runs != DEFAULT_P9_RUNS
                    || selected("P7") && !Arrays.equals(p7Sizes, parse(DEFAULT_SIZES))
                    || selected("P3") && (p3Runs != DEFAULT_P3_RUNS || !Arrays.equals(p3Sizes, parse(DEFAULT_P3_SIZES)))
                    || selected("P4") && (p4SpreadSeconds != DEFAULT_P4_SPREAD_SECONDS
                    || !Arrays.equals(p4Sizes, parse(DEFAULT_P4_SIZES)))
                    || selected("P1") && (p1Beats != DEFAULT_P1_BEATS || p1Singles != DEFAULT_P1_SINGLES
                    || !Arrays.equals(p1Sizes, parse(DEFAULT_P1_SIZES)))
                    || selected("P2") && (p2Runs != DEFAULT_P2_RUNS || !Arrays.equals(p2Sizes, parse(DEFAULT_P2_SIZES)))
                    || selected("P5") && (!Arrays.equals(p5Rounds, parse(DEFAULT_P5_ROUNDS))
                    || !Arrays.equals(p5Sizes, parse(DEFAULT_P5_SIZES)))
                    || selected("P6") && p6Runs != DEFAULT_P6_RUNS
                    || selected("P6b") && p6bRuns != DEFAULT_P6B_RUNS
                    || selected("P8") && (p8Servers != DEFAULT_P8_SERVERS || p8Agents != DEFAULT_P8_AGENTS
                    || p8DownAgents != DEFAULT_P8_DOWN || p1Beats != DEFAULT_P1_BEATS || p1Singles != DEFAULT_P1_SINGLES)
                    || selected("Nodes") && (nodeServers != DEFAULT_NODE_SERVERS || nodeBeats != DEFAULT_NODE_BEATS
                    || nodeSingles != DEFAULT_NODE_SINGLES || nodeStarts != DEFAULT_NODE_STARTS
                    || nodeWarmUpSingles != DEFAULT_NODE_WARM_UP || warmup != DEFAULT_WARMUP);
        }

        int p5RoundsOf(int events) {
            for (int i = 0; i < p5Sizes.length; i++) {
                if (p5Sizes[i] == events) {
                    return p5Rounds[i];
                }
            }
            throw new IllegalArgumentException("not a P5 size: " + events);
        }

        /** BENCH_P5_ROUNDS: one count for every size, or one per size of BENCH_P5_SIZES. */
        private static int[] rounds(int[] sizes) {
            String fallback = sizes.length == parse(DEFAULT_P5_ROUNDS).length ? DEFAULT_P5_ROUNDS : "3";
            int[] rounds = parse(env("BENCH_P5_ROUNDS", fallback));
            if (Arrays.stream(rounds).anyMatch(r -> r < 1 || r > 9)) {
                throw new IllegalArgumentException("BENCH_P5_ROUNDS must be between 1 and 9");
            }
            if (rounds.length == 1) {
                int[] each = new int[sizes.length];
                Arrays.fill(each, rounds[0]);
                return each;
            }
            if (rounds.length != sizes.length) {
                throw new IllegalArgumentException("BENCH_P5_ROUNDS lists " + rounds.length + " counts for "
                        + sizes.length + " sizes of BENCH_P5_SIZES");
            }
            return rounds;
        }

        private static int[] sizes(String name, String fallback, int max) {
            int[] sizes = parse(env(name, fallback));
            if (Arrays.stream(sizes).anyMatch(s -> s < 1 || s > max)) {
                throw new IllegalArgumentException(name + " sizes must be between 1 and " + max);
            }
            return sizes;
        }

        private static int[] parse(String sizes) {
            return Arrays.stream(sizes.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        }

        private static String env(String name, String fallback) {
            String value = System.getenv(name);
            return value == null || value.isBlank() ? fallback : value;
        }

        private static int bounded(String name, int fallback, int min, int max) {
            int value = Integer.parseInt(env(name, Integer.toString(fallback)));
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
            }
            return value;
        }
    }

    /** The facts that make two runs comparable. */
    record MachineFacts(String date, int cpus, String cpuModel, String memory, String loadAtStart, String os,
                        String javaVersion) {

        static MachineFacts collect() {
            return new MachineFacts(
                    ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                    Runtime.getRuntime().availableProcessors(),
                    procField("/proc/cpuinfo", "model name"),
                    procField("/proc/meminfo", "MemTotal"),
                    loadAverage(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        }

        static String loadAverage() {
            try {
                String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
                return parts[0] + " " + parts[1] + " " + parts[2];
            } catch (IOException e) {
                return "unknown";
            }
        }

        private static String procField(String file, String field) {
            try (Stream<String> lines = Files.lines(Path.of(file))) {
                return lines.filter(l -> l.startsWith(field)).findFirst()
                        .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
