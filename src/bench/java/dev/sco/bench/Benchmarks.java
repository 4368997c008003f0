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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The benchmark command's harness (entry point: {@code src/bench/run.sh}). Runs P9 (cold start)
 * and P7 (process starts over REST, orchestrator against a stock engine in the same run) and
 * rewrites {@code docs/benchmarks.md}. Sizes come from the environment, see run.sh.
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
        Report report = new Report(settings, MachineFacts.collect());
        try {
            benchmarks.coldStarts(report);
            benchmarks.processStarts(report);
        } finally {
            report.finish(benchmarks.orphans, benchmarks.failures);
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
                failures.add("P9 " + label + ": " + e.getMessage());
                return Optional.empty();
            } finally {
                stop(service, label);
            }
        }
        failures.add("P9 " + label + ": lost its port " + LAUNCH_ATTEMPTS + " times");
        return Optional.empty();
    }

    private ServiceProcess launchOrchestrator(Path dataDir, int port, String label) {
        List<String> command = List.of(javaCommand, "-jar", settings.jar().toString(),
                "--server.port=" + port, "--server.address=127.0.0.1");
        return ServiceProcess.launch("orchestrator", command, Map.of("ORCHESTRATOR_DATA_DIR", dataDir.toString()),
                port, dataDir, logs.resolve(label + ".log"));
    }

    // ---- P7 ---------------------------------------------------------------------------------

    private void processStarts(Report report) throws InterruptedException {
        ServiceProcess orchestrator = null;
        try {
            orchestrator = launchReady("p7-orchestrator", (dir, port) -> launchOrchestrator(dir, port, "p7-orchestrator"),
                    READINESS);
            measureStarts(report, "orchestrator", new EngineRestClient(http, orchestrator.baseUrl(),
                    Optional.of(settings.user())));
        } catch (IOException | RuntimeException e) {
            failures.add("P7 orchestrator: " + e.getMessage());
        } finally {
            if (orchestrator != null) {
                stop(orchestrator, "p7-orchestrator");
            }
        }

        ServiceProcess stock = null;
        try {
            stock = launchReady("p7-stock", (dir, port) -> ServiceProcess.launch("stock engine",
                    List.of(javaCommand, "-Dstock.data-dir=" + dir.resolve("pg"), "-cp", settings.stockClasspath(),
                            "dev.sco.bench.stock.StockEngineApplication",
                            "--server.port=" + port, "--server.address=127.0.0.1"),
                    Map.of(), port, dir, logs.resolve("p7-stock.log")), "/engine-rest/engine");
            measureStarts(report, "stock", new EngineRestClient(http, stock.baseUrl(), Optional.empty()));
        } catch (IOException | RuntimeException e) {
            failures.add("P7 stock engine: " + e.getMessage());
        } finally {
            if (stock != null) {
                stop(stock, "p7-stock");
            }
        }
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

    private void measureStarts(Report report, String engine, EngineRestClient client)
            throws IOException, InterruptedException {
        client.deployModel();
        if (settings.warmup() > 0) {
            LatencyStats warm = client.startInstances(settings.warmup(), settings.concurrency(), BATCH_LIMIT);
            System.out.printf("P7 %s warm-up: %d starts, %.0f/s%n", engine, settings.warmup(), warm.perSecond());
        }
        for (int size : settings.p7Sizes()) {
            LatencyStats stats = client.startInstances(size, settings.concurrency(), BATCH_LIMIT);
            System.out.printf("P7 %s %d starts: %.0f/s, p50 %.1f ms, p99 %.1f ms, errors %d%n", engine, size,
                    stats.perSecond(), stats.p50Millis(), stats.p99Millis(), stats.errors());
            report.processStarts(engine, size, stats);
        }
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
                    int[] p7Sizes, int concurrency, int warmup, String user) {

        static final String DEFAULT_SIZES = "1000,5000,20000";
        static final int DEFAULT_P9_RUNS = 3;

        static Settings fromEnvironment() throws IOException {
            Path runtimeClasspath = Path.of(env("BENCH_RUNTIME_CLASSPATH", "target/bench/runtime-classpath.txt"));
            String stockClasspath = Path.of("target/test-classes").toAbsolutePath() + File.pathSeparator
                    + Files.readString(runtimeClasspath).trim();
            int[] sizes = Arrays.stream(env("BENCH_P7_SIZES", DEFAULT_SIZES).split(","))
                    .map(String::trim).mapToInt(Integer::parseInt).toArray();
            return new Settings(env("BENCH_COMMAND", "src/bench/run.sh"), env("BENCH_COMMIT", "unknown"),
                    Path.of("target/orchestrator.jar").toAbsolutePath(), stockClasspath,
                    Path.of(env("BENCH_OUT", "docs/benchmarks.md")),
                    bounded("BENCH_P9_RUNS", DEFAULT_P9_RUNS, 1, 20), sizes,
                    bounded("BENCH_CONCURRENCY", 16, 1, 64), bounded("BENCH_WARMUP", 500, 0, 100_000),
                    "demo:demo");
        }

        boolean smoke() {
            return p9Runs != DEFAULT_P9_RUNS || !Arrays.equals(p7Sizes, Arrays.stream(DEFAULT_SIZES.split(","))
                    .mapToInt(Integer::parseInt).toArray());
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
