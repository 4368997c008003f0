package dev.sco.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    /** P3 names two points, both 0.1 ms per agent: 10,000 in under 1 s, 100,000 in under 10 s. */
    private static final Map<Integer, Double> P3_TARGET_MILLIS = Map.of(10_000, 1_000.0, 100_000, 10_000.0);
    private static final long P4_TARGET_P99_MILLIS = 2_000;
    private static final String CARRIED_OVER = "> Not run by the command above: carried over from ";

    private final Previous previous;
    private final Map<Integer, List<dev.sco.orchestrator.postclone.PostCloneCheckBench.Run>> checks = new LinkedHashMap<>();
    private final Map<Integer, TimerPunctuality.Result> timers = new LinkedHashMap<>();

    private final Benchmarks.Settings settings;
    private final Benchmarks.MachineFacts machine;
    private final Map<String, List<Optional<Double>>> coldStarts = new LinkedHashMap<>();
    private final Map<String, Map<Integer, LatencyStats>> starts = new LinkedHashMap<>();
    private final List<String> orphans = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private String loadAtEnd = "unknown";

    Report(Benchmarks.Settings settings, Benchmarks.MachineFacts machine, Previous previous) {
        this.settings = settings;
        this.machine = machine;
        this.previous = previous;
    }

    /** The sections of the report being replaced, so a run of some benchmarks keeps the others' figures. */
    record Previous(String date, String commit, Map<String, String> sections) {

        static final Previous NONE = new Previous("unknown", "unknown", Map.of());

        /** Sections start at {@code ## P<n>:}; each ends where the next {@code ## } heading begins. */
        static Previous parse(String markdown) {
            Map<String, String> sections = new LinkedHashMap<>();
            String date = "unknown";
            String commit = "unknown";
            String[] parts = ("\n" + markdown).split("\n(?=## )");
            for (String part : parts) {
                java.util.regex.Matcher id = java.util.regex.Pattern.compile("^## (P\\d+[a-z]?):").matcher(part);
                if (id.find()) {
                    sections.put(id.group(1), part.strip() + "\n\n");
                }
                for (String line : part.split("\n")) {
                    if (line.startsWith("| date | ")) {
                        date = cell(line);
                    } else if (line.startsWith("| commit | ")) {
                        commit = cell(line);
                    }
                }
            }
            return new Previous(date, commit, sections);
        }

        private static String cell(String row) {
            String[] cells = row.split("\\|");
            return cells.length > 2 ? cells[2].trim() : "unknown";
        }
    }

    static Previous previous(Path out) {
        try {
            return Files.exists(out) ? Previous.parse(Files.readString(out)) : Previous.NONE;
        } catch (IOException e) {
            return Previous.NONE;
        }
    }

    void postCloneCheck(int agents, List<dev.sco.orchestrator.postclone.PostCloneCheckBench.Run> runs) {
        checks.put(agents, runs);
    }

    void timers(int size, TimerPunctuality.Result result) {
        timers.put(size, result);
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
        md.append("Targets and reference points: `performance.md` of the design (P3, P4, P7, P9). ")
                .append("The machine is shared and noisy: compare the ratios measured in one run, not runs.\n\n");
        if (settings.smoke()) {
            md.append("> **Smoke run**: sizes below the documented defaults (P9: ").append(Benchmarks.Settings.DEFAULT_P9_RUNS)
                    .append(" cold starts each; P7: ").append(Benchmarks.Settings.DEFAULT_SIZES)
                    .append(" starts; P3: ").append(Benchmarks.Settings.DEFAULT_P3_SIZES).append(" agents, ")
                    .append(Benchmarks.Settings.DEFAULT_P3_RUNS).append(" runs each; P4: ")
                    .append(Benchmarks.Settings.DEFAULT_P4_SIZES).append(" timers over ")
                    .append(Benchmarks.Settings.DEFAULT_P4_SPREAD_SECONDS)
                    .append(" s). These figures only show that the command works; they are not the project's figures.\n\n");
        }
        if (settings.only().size() < Benchmarks.Settings.BENCHMARKS.size()) {
            md.append("Run by this command: ").append(String.join(", ", settings.only()))
                    .append(". Sections of the other benchmarks, if any, are carried over from the report this run replaced ")
                    .append("and say so.\n\n");
        }
        if (busy(machine.loadAtStart()) || busy(loadAtEnd)) {
            md.append("> **Busy machine**: the one-minute load average exceeded the ").append(machine.cpus())
                    .append(" processors during this run (see below); other work competed for the CPU, so these figures ")
                    .append("understate both engines.\n\n");
        }
        machine(md);
        section(md, "P9", this::p9);
        section(md, "P7", this::p7);
        section(md, "P3", this::p3);
        section(md, "P4", this::p4);
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

    private void section(StringBuilder md, String id, java.util.function.Consumer<StringBuilder> render) {
        if (settings.selected(id)) {
            render.accept(md);
            return;
        }
        String old = previous.sections().get(id);
        if (old == null) {
            return;
        }
        if (old.contains(CARRIED_OVER)) {
            md.append(old);
            return;
        }
        int headingEnd = old.indexOf('\n');
        md.append(old, 0, headingEnd + 1).append('\n').append(CARRIED_OVER).append("the run of ")
                .append(previous.date()).append(" (commit ").append(previous.commit())
                .append("); its machine facts were those of that run.\n").append(old.substring(headingEnd + 1));
    }

    private void p3(StringBuilder md) {
        md.append("## P3: post-clone check over N pre-clone agents\n\n");
        md.append("Measured in the harness's JVM against the project's schema: an embedded PostgreSQL started as the ")
                .append("orchestrator starts its own (`EmbeddedPostgresServers`), Flyway migrations from ")
                .append("`classpath:sql/migration`, a Hikari pool of 4 and `JdbcClient`, calling `PostCloneRepository` ")
                .append("(class `dev.sco.orchestrator.postclone.PostCloneCheckBench` under `src/bench/java`). ")
                .append("For each size, N agents of one new instance are registered in one statement, every second one ")
                .append("Down, all created an hour before the clone (the agents of the smaller sizes stay in the table), ")
                .append("then analysed. Each run is a new clone of that instance, with the issues table emptied first:\n\n")
                .append("- *snapshot*: the database work of `PostCloneService.captureSnapshot`, one transaction ")
                .append("(clone row, `captureSnapshot`: one insert-select of the pre-clone agents);\n")
                .append("- *check 1*: the database work of `PostCloneService.runCheck`, one transaction: claim the check, ")
                .append("`recordDownAgents` (one insert … on conflict writing an issue for each Down agent), read the ")
                .append("issues that still need an operator task;\n")
                .append("- *check 2*: the same for the second check after each issue got its task: repeat detection, ")
                .append("the open issues are updated (detection count 2).\n\n")
                .append("Not included: starting one operator task process per new issue (one engine process start each, ")
                .append("see P7 for that rate). Every run is checked: N agents in the snapshot, N/2 issues written by ")
                .append("check 1, the same N/2 updated by check 2. Median and max over ").append(settings.p3Runs())
                .append(" runs per size; the first run of a size is included.\n\n");
        md.append("| agents | issues | snapshot (ms) | check 1 (ms) | snapshot + check 1 (ms) | check 2 (ms) | target | verdict |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        checks.forEach((agents, runs) -> {
            List<Double> snapshot = runs.stream().map(r -> r.snapshotMillis()).toList();
            List<Double> first = runs.stream().map(r -> r.firstCheckMillis()).toList();
            List<Double> both = runs.stream().map(r -> r.snapshotAndFirstCheckMillis()).toList();
            List<Double> second = runs.stream().map(r -> r.secondCheckMillis()).toList();
            Double target = P3_TARGET_MILLIS.get(agents);
            double worst = Math.max(max(both), max(second));
            String verdict = target == null ? "no target at this size" : worst < target ? "met" : "**not met**";
            md.append("| ").append(agents).append(" | ").append(runs.get(0).newIssues()).append(" | ")
                    .append(medianMax(snapshot)).append(" | ").append(medianMax(first)).append(" | ")
                    .append(medianMax(both)).append(" | ").append(medianMax(second)).append(" | ")
                    .append(target == null ? "—" : "< " + fmt(target, 0) + " ms").append(" | ").append(verdict)
                    .append(" |\n");
        });
        md.append("\nCells are median / max. The verdict takes the slowest run of either check ")
                .append("(snapshot + check 1, or check 2).\n\n");
    }

    private void p4(StringBuilder md) {
        md.append("## P4: timer punctuality (due → executed)\n\n");
        md.append("Model `").append(TimerPunctuality.PROCESS_KEY).append("` (start → intermediate timer `")
                .append(TimerPunctuality.TIMER_ID).append("` with `timeDate` `${dueAt}` → user task, no scripts), ")
                .append("deployed over REST as `demo` on a fresh orchestrator launched as in P9, whose job executor runs ")
                .append("as configured in `application.yaml` (max wait 2 s). Each batch: ").append(settings.concurrency())
                .append(" client threads start the instances with `POST /engine-rest/process-definition/key/")
                .append(TimerPunctuality.PROCESS_KEY).append("/start` and a Date variable `dueAt`; the due dates spread ")
                .append("evenly over ").append(settings.p4SpreadSeconds()).append(" s beginning ")
                .append(settings.p4LeadSeconds()).append(" s after the batch begins, and are never less than 5 s ")
                .append("after the start request is sent (so the due window widens when starting is slower). ")
                .append("Lateness = `endTime` of the timer's activity instance in the engine history ")
                .append("(`GET /engine-rest/history/activity-instance?activityId=").append(TimerPunctuality.TIMER_ID)
                .append("&finished=true&…`) − `dueAt`. A batch ends when all its timers fired, or 2 min after its last ")
                .append("due date; the next batch begins after it.\n\n");
        md.append("| timers | started | answered after due | fired | start phase (s) | due window (s) | p50 (ms) | p99 (ms) ")
                .append("| max (ms) | target p99 < ").append(P4_TARGET_P99_MILLIS).append(" ms |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        List<String> errors = new ArrayList<>();
        timers.forEach((size, r) -> {
            String verdict;
            if (r.fired() < r.requested()) {
                verdict = "**not met** (" + (r.requested() - r.fired()) + " not fired)";
            } else {
                verdict = r.percentile(0.99) < P4_TARGET_P99_MILLIS ? "met" : "**not met**";
            }
            md.append("| ").append(size).append(" | ").append(r.started()).append(" | ").append(r.startedAfterDue())
                    .append(" | ").append(r.fired()).append(" | ").append(fmt(r.startSeconds(), 1)).append(" | ")
                    .append(fmt(r.dueWindowSeconds(), 1)).append(" | ").append(r.percentile(0.50)).append(" | ")
                    .append(r.percentile(0.99)).append(" | ").append(r.max()).append(" | ").append(verdict).append(" |\n");
            if (r.firstError() != null) {
                errors.add(size + " timers, " + r.errors() + " failed starts, first: " + r.firstError());
            }
        });
        md.append('\n');
        if (!errors.isEmpty()) {
            md.append("Failed starts:\n\n");
            errors.forEach(e -> md.append("- `").append(e.replace('`', '\'').replace("\n", " ")).append("`\n"));
            md.append('\n');
        }
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static String medianMax(List<Double> values) {
        return values.isEmpty() ? "—" : fmt(median(values), 1) + " / " + fmt(max(values), 1);
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
