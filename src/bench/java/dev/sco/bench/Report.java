package dev.sco.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Collects the figures of one run and renders docs/benchmarks.md. */
final class Report {

    private static final double P9_TARGET_SECONDS = 20;
    private static final double P7_TARGET_PER_SECOND = 500;
    private static final double P7_TARGET_RATIO = 1.3;

    private final Benchmarks.Settings settings;
    private final Benchmarks.MachineFacts machine;
    private final Map<String, List<Optional<Double>>> coldStarts = new LinkedHashMap<>();
    private final Map<String, Map<Integer, LatencyStats>> starts = new LinkedHashMap<>();
    private final List<String> orphans = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private String loadAtEnd = "unknown";

    Report(Benchmarks.Settings settings, Benchmarks.MachineFacts machine) {
        this.settings = settings;
        this.machine = machine;
    }

    void coldStart(String kind, Optional<Double> seconds) {
        coldStarts.computeIfAbsent(kind, k -> new ArrayList<>()).add(seconds);
    }

    void processStarts(String engine, int size, LatencyStats stats) {
        starts.computeIfAbsent(engine, k -> new LinkedHashMap<>()).put(size, stats);
    }

    void finish(List<String> orphanProcesses, List<String> failedSteps) {
        orphans.addAll(orphanProcesses);
        failures.addAll(failedSteps);
        loadAtEnd = Benchmarks.MachineFacts.loadAverage();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by the benchmark command; do not edit by hand, run it again:\n\n");
        md.append("```\n").append(settings.command()).append("\n```\n\n");
        md.append("Targets and reference points: `performance.md` of the design (P7, P9). ")
                .append("The machine is shared and noisy: compare the ratios measured in one run, not runs.\n\n");
        if (settings.smoke()) {
            md.append("> **Smoke run**: sizes below the documented defaults (").append(Benchmarks.Settings.DEFAULT_P9_RUNS)
                    .append(" cold starts each, ").append(Benchmarks.Settings.DEFAULT_SIZES)
                    .append(" starts). These figures only show that the command works; they are not the project's figures.\n\n");
        }
        if (busy(machine.loadAtStart()) || busy(loadAtEnd)) {
            md.append("> **Busy machine**: the one-minute load average exceeded the ").append(machine.cpus())
                    .append(" processors during this run (see below); other work competed for the CPU, so these figures ")
                    .append("understate both engines.\n\n");
        }
        machine(md);
        p9(md);
        p7(md);
        md.append("## Clean-up\n\n");
        if (orphans.isEmpty()) {
            md.append("Every service stopped its embedded PostgreSQL servers on SIGTERM: no PostgreSQL process ")
                    .append("was left on a benchmark data directory.\n");
        } else {
            md.append("PostgreSQL processes left running after their service stopped (stopped by the harness):\n\n");
            orphans.forEach(o -> md.append("- `").append(o).append("`\n"));
        }
        if (!failures.isEmpty()) {
            md.append("\n## Failures\n\n");
            failures.forEach(f -> md.append("- ").append(f.replace("\n", " ")).append('\n'));
        }
        return md.toString();
    }

    private void machine(StringBuilder md) {
        md.append("## Machine\n\n| fact | value |\n|---|---|\n");
        row(md, "date", machine.date());
        row(md, "commit", settings.commit());
        row(md, "processors (nproc)", Integer.toString(machine.cpus()));
        row(md, "CPU", machine.cpuModel());
        row(md, "memory", machine.memory());
        row(md, "load average at start / end", machine.loadAtStart() + " / " + loadAtEnd);
        row(md, "OS", machine.os());
        row(md, "Java", machine.javaVersion());
        md.append('\n');
    }

    private void p9(StringBuilder md) {
        md.append("## P9: cold start to ready, embedded default\n\n");
        md.append("Measured: from launching the JVM until `GET ").append(Benchmarks.READINESS)
                .append("` first answers 200 (UP), polled every 50 ms. Each run:\n\n```\n")
                .append("ORCHESTRATOR_DATA_DIR=<data dir> java -jar target/orchestrator.jar ")
                .append("--server.port=<free port> --server.address=127.0.0.1\n```\n\n")
                .append("Embedded orchestrator database plus the demo estate (three PostgreSQL servers). ")
                .append("*fresh*: an empty data directory each time; *reused*: restarts on the data directory ")
                .append("of the last fresh run. Stopped with SIGTERM after each run.\n\n");
        md.append("| data directory | runs (s) | median (s) | target ≤ ").append(fmt(P9_TARGET_SECONDS, 0))
                .append(" s |\n|---|---|---|---|\n");
        coldStarts.forEach((kind, runs) -> {
            List<Double> ok = runs.stream().flatMap(Optional::stream).toList();
            String each = String.join(", ", runs.stream().map(r -> r.map(s -> fmt(s, 2)).orElse("failed")).toList());
            String median = ok.isEmpty() ? "—" : fmt(median(ok), 2);
            String met = ok.isEmpty() ? "not measured" : median(ok) <= P9_TARGET_SECONDS ? "met" : "**not met**";
            md.append("| ").append(kind).append(" | ").append(each).append(" | ").append(median).append(" | ")
                    .append(met).append(" |\n");
        });
        md.append('\n');
    }

    private void p7(StringBuilder md) {
        md.append("## P7: process starts over REST\n\n");
        md.append("Model `").append(EngineRestClient.PROCESS_KEY)
                .append("` (start → user task, no scripts), deployed through `POST /engine-rest/deployment/create`. ")
                .append("Measured: `POST /engine-rest/process-definition/key/").append(EngineRestClient.PROCESS_KEY)
                .append("/start` with body `{}`, sent by ").append(settings.concurrency())
                .append(" client threads in a closed loop over loopback, after ").append(settings.warmup())
                .append(" warm-up starts that are not counted; sizes run in the order shown on one engine.\n\n");
        md.append("- **orchestrator**: HTTP Basic as `demo` (demo estate), engine authorization on; fresh data directory:\n\n")
                .append("  ```\n  ORCHESTRATOR_DATA_DIR=<data dir> java -jar target/orchestrator.jar ")
                .append("--server.port=<free port> --server.address=127.0.0.1\n  ```\n\n");
        md.append("- **stock**: Camunda 7.24 Spring Boot starter REST with its defaults, unauthenticated, its own ")
                .append("embedded PostgreSQL (zonky defaults), no orchestrator class or setting on its classpath:\n\n")
                .append("  ```\n  java -Dstock.data-dir=<data dir> -cp target/test-classes:<runtime libraries> ")
                .append("dev.sco.bench.stock.StockEngineApplication --server.port=<free port> --server.address=127.0.0.1\n")
                .append("  ```\n\n");
        md.append("| starts | engine | answered | errors | seconds | starts/s | p50 (ms) | p99 (ms) | max (ms) |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        for (int size : settings.p7Sizes()) {
            starts.forEach((engine, bySize) -> {
                LatencyStats s = bySize.get(size);
                if (s != null) {
                    md.append("| ").append(size).append(" | ").append(engine).append(" | ").append(s.completed())
                            .append(" | ").append(s.errors()).append(" | ").append(fmt(s.seconds(), 2)).append(" | ")
                            .append(fmt(s.perSecond(), 0)).append(" | ").append(fmt(s.p50Millis(), 1)).append(" | ")
                            .append(fmt(s.p99Millis(), 1)).append(" | ").append(fmt(s.maxMillis(), 1)).append(" |\n");
                }
            });
        }
        md.append('\n');
        List<String> errors = new ArrayList<>();
        starts.forEach((engine, bySize) -> bySize.forEach((size, s) -> {
            if (s.firstError() != null) {
                errors.add(engine + ", " + size + " starts: " + s.firstError());
            }
        }));
        if (!errors.isEmpty()) {
            md.append("First error of each batch that had errors:\n\n");
            errors.forEach(e -> md.append("- `").append(e.replace('`', '\'').replace("\n", " ")).append("`\n"));
            md.append('\n');
        }
        md.append("| starts | orchestrator/s | stock/s | ratio | target ≥ ").append(fmt(P7_TARGET_PER_SECOND, 0))
                .append("/s and ≥ ").append(fmt(P7_TARGET_RATIO, 1)).append(" × stock |\n|---|---|---|---|---|\n");
        Map<Integer, LatencyStats> ours = starts.getOrDefault("orchestrator", Map.of());
        Map<Integer, LatencyStats> stock = starts.getOrDefault("stock", Map.of());
        for (int size : settings.p7Sizes()) {
            LatencyStats o = ours.get(size);
            LatencyStats s = stock.get(size);
            if (o == null || s == null || s.perSecond() == 0) {
                md.append("| ").append(size).append(" | ").append(o == null ? "—" : fmt(o.perSecond(), 0)).append(" | ")
                        .append(s == null ? "—" : fmt(s.perSecond(), 0)).append(" | — | not measured |\n");
                continue;
            }
            double ratio = o.perSecond() / s.perSecond();
            boolean rateMet = o.perSecond() >= P7_TARGET_PER_SECOND;
            boolean ratioMet = ratio >= P7_TARGET_RATIO;
            String verdict = rateMet && ratioMet ? "met" : "**not met**" + (rateMet ? "" : " (rate)")
                    + (ratioMet ? "" : " (ratio)");
            md.append("| ").append(size).append(" | ").append(fmt(o.perSecond(), 0)).append(" | ")
                    .append(fmt(s.perSecond(), 0)).append(" | ").append(fmt(ratio, 2)).append(" | ").append(verdict)
                    .append(" |\n");
        }
        md.append('\n');
    }

    private boolean busy(String loadAverage) {
        try {
            return Double.parseDouble(loadAverage.split(" ")[0]) > machine.cpus();
        } catch (RuntimeException unknown) {
            return false;
        }
    }

    private static void row(StringBuilder md, String fact, String value) {
        md.append("| ").append(fact).append(" | ").append(value.replace("|", "/")).append(" |\n");
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
