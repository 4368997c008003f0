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
    private static final double P1_TARGET_BATCH = 10_000;
    private static final double P1_TARGET_SINGLE = 3_000;
    private static final double P1_TARGET_P99_MILLIS = 50;
    private static final double P2_TARGET_MILLIS_100K = 300;
    private static final double P5_TARGET_RATIO = 0.8;
    private static final double P5_TARGET_NOTHING_NEW_MILLIS = 100;
    private static final double P6_TARGET_MILLIS = 3_000;
    private static final double P6B_TARGET_MILLIS = 10_000;
    private static final double P8_TARGET_MIB = 512;
    private static final String CARRIED_OVER = "> Not run by the command above: carried over from ";

    private final Previous previous;
    private final Map<Integer, List<dev.sco.orchestrator.postclone.PostCloneCheckBench.Run>> checks = new LinkedHashMap<>();
    private final Map<Integer, TimerPunctuality.Result> timers = new LinkedHashMap<>();
    private final Map<Integer, HeartbeatIngestion.Result> heartbeats = new LinkedHashMap<>();
    private final Map<Integer, List<dev.sco.orchestrator.serverfailover.HeartbeatDetectorBench.Run>> passes =
            new LinkedHashMap<>();
    private final Map<Integer, List<SyncThroughput.Result>> syncs = new LinkedHashMap<>();
    private final List<DatabaseFailoverTiming.Result> failovers = new ArrayList<>();
    private final List<UnattendedFailoverTiming.Result> unattended = new ArrayList<>();
    private MemoryBound.Result memory;
    private final List<NodeCost.Phase> nodePhases = new ArrayList<>();
    private List<String[]> nodeTables = List.of();

    private final Benchmarks.Settings settings;
    private final Benchmarks.MachineFacts machine;
    private final Map<String, List<Optional<Double>>> coldStarts = new LinkedHashMap<>();
    private final Map<String, Map<Integer, LatencyStats>> starts = new LinkedHashMap<>();
    /** Per engine and size: server CPU ms per start (JVM + PostgreSQL), the other engine's cores meanwhile. */
    private final Map<String, Map<Integer, double[]>> startCosts = new LinkedHashMap<>();
    private final List<String> orphans = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private String loadAtEnd = "unknown";
    /** CPU of other work on the machine during the run; null when not measured. */
    private OtherWork.Result otherWork;

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
                java.util.regex.Matcher id = java.util.regex.Pattern.compile("^## (P\\d+[a-z]?|Nodes):").matcher(part);
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

    void heartbeats(int servers, HeartbeatIngestion.Result result) {
        heartbeats.put(servers, result);
    }

    private final java.util.Map<Integer, List<DetectionLatency.Run>> latencies = new java.util.LinkedHashMap<>();

    void detectionLatency(int servers, List<DetectionLatency.Run> runs) {
        latencies.put(servers, runs);
    }

    void detection(int servers, List<dev.sco.orchestrator.serverfailover.HeartbeatDetectorBench.Run> runs) {
        passes.put(servers, runs);
    }

    void sync(int events, SyncThroughput.Result result) {
        syncs.computeIfAbsent(events, e -> new ArrayList<>()).add(result);
    }

    void failover(DatabaseFailoverTiming.Result result) {
        failovers.add(result);
    }

    void unattendedFailover(UnattendedFailoverTiming.Result result) {
        unattended.add(result);
    }

    void memory(MemoryBound.Result result) {
        memory = result;
    }

    void nodePhase(NodeCost.Phase phase) {
        nodePhases.add(phase);
    }

    void nodeTables(List<String[]> tables) {
        nodeTables = tables;
    }

    void timers(int size, TimerPunctuality.Result result) {
        timers.put(size, result);
    }

    void coldStart(String kind, Optional<Double> seconds) {
        coldStarts.computeIfAbsent(kind, k -> new ArrayList<>()).add(seconds);
    }

    void processStarts(String engine, int size, LatencyStats stats, double cpuMillisPerStart, double otherEngineCores) {
        starts.computeIfAbsent(engine, k -> new LinkedHashMap<>()).put(size, stats);
        startCosts.computeIfAbsent(engine, k -> new LinkedHashMap<>()).put(size,
                new double[] {cpuMillisPerStart, otherEngineCores});
    }

    void finish(List<String> orphanProcesses, List<String> failedSteps, OtherWork.Result other) {
        otherWork = other;
        orphans.addAll(orphanProcesses);
        failures.addAll(failedSteps);
        loadAtEnd = Benchmarks.MachineFacts.loadAverage();
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by the benchmark command; do not edit by hand, run it again:\n\n");
        md.append("```\n").append(settings.command()).append("\n```\n\n");
        md.append("Targets and reference points: `performance.md` of the design (P1–P9, P6b). ")
                .append("The machine is shared and noisy: compare the ratios measured in one run, not runs.\n\n");
        if (settings.smoke()) {
            md.append("> **Smoke run**: sizes below the documented defaults (P9: ").append(Benchmarks.Settings.DEFAULT_P9_RUNS)
                    .append(" cold starts each; P7: ").append(Benchmarks.Settings.DEFAULT_SIZES)
                    .append(" starts; P3: ").append(Benchmarks.Settings.DEFAULT_P3_SIZES).append(" agents, ")
                    .append(Benchmarks.Settings.DEFAULT_P3_RUNS).append(" runs each; P4: ")
                    .append(Benchmarks.Settings.DEFAULT_P4_SIZES).append(" timers over ")
                    .append(Benchmarks.Settings.DEFAULT_P4_SPREAD_SECONDS)
                    .append(" s; P1: ").append(Benchmarks.Settings.DEFAULT_P1_SIZES).append(" servers, ")
                    .append(Benchmarks.Settings.DEFAULT_P1_BEATS).append(" batched and ")
                    .append(Benchmarks.Settings.DEFAULT_P1_SINGLES).append(" single heartbeats each; P2: ")
                    .append(Benchmarks.Settings.DEFAULT_P2_SIZES).append(" servers, ")
                    .append(Benchmarks.Settings.DEFAULT_P2_RUNS).append(" runs each; P5: ")
                    .append(Benchmarks.Settings.DEFAULT_P5_SIZES).append(" events, ")
                    .append(Benchmarks.Settings.DEFAULT_P5_ROUNDS).append(" rounds; P6: ")
                    .append(Benchmarks.Settings.DEFAULT_P6_RUNS)
                    .append(" failovers). These figures only show that the command works; they are not the project's figures.\n\n");
        }
        if (settings.only().size() < Benchmarks.Settings.BENCHMARKS.size()) {
            md.append("Run by this command: ").append(String.join(", ", settings.only()))
                    .append(". Sections of the other benchmarks, if any, are carried over from the report this run replaced ")
                    .append("and say so.\n\n");
        }
        if (otherWork != null && otherWork.busy()) {
            md.append("> **Busy machine**: work other than the benchmark used ").append(fmt(otherWork.averageCores(), 2))
                    .append(" of the ").append(machine.cpus()).append(" processors on average during this run (")
                    .append(fmt(otherWork.peakCores(), 2)).append(" over its busiest ten seconds; see below), so these ")
                    .append("figures understate what the machine can do.\n\n");
        }
        machine(md);
        section(md, "P9", this::p9);
        section(md, "P7", this::p7);
        section(md, "P1", this::p1);
        section(md, "P2", this::p2);
        section(md, "P3", this::p3);
        section(md, "P4", this::p4);
        section(md, "P5", this::p5);
        section(md, "P6", this::p6);
        section(md, "P6b", this::p6b);
        section(md, "P8", this::p8);
        section(md, "Nodes", this::nodes);
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

    private void p1(StringBuilder md) {
        md.append("## P1: heartbeats ingested per second\n\n");
        md.append("A fresh orchestrator launched as in P9; HTTP Basic as `demo`, over loopback. For each size the servers ")
                .append("are registered first (`PUT /api/servers/{name}` with `{\"kind\":\"management\"}`, ")
                .append(HeartbeatIngestion.REGISTER_THREADS).append(" client threads; the servers of the smaller sizes ")
                .append("stay), then:\n\n")
                .append("- *batch*: ").append(settings.p1Beats()).append(" heartbeats through `POST /api/heartbeats` ")
                .append("(`[{\"server\":…}]`, no `at`, batches of up to ").append(HeartbeatIngestion.BATCH_SIZE)
                .append(" distinct servers) from ").append(HeartbeatIngestion.BATCH_THREADS)
                .append(" client threads in a closed loop; latency is per batch request;\n")
                .append("- *single*: ").append(settings.p1Singles()).append(" `POST /api/servers/{name}/heartbeat` from ")
                .append(settings.concurrency()).append(" client threads in a closed loop.\n\n")
                .append("Names cycle over the registered servers. Every answer must be 2xx and a batch must report no ")
                .append("unknown server. Before the first size, ").append(HeartbeatIngestion.WARM_UP_SINGLES)
                .append(" uncounted single heartbeats warm the JVM up (as P7's warm-up starts do).\n\n");
        md.append("| servers | register (s) | batch heartbeats/s | batch p50 / p99 (ms) | single/s | single p50 / p99 (ms) ")
                .append("| errors | target: batch ≥ ").append(fmt(P1_TARGET_BATCH, 0)).append("/s, single ≥ ")
                .append(fmt(P1_TARGET_SINGLE, 0)).append("/s, single p99 < ").append(fmt(P1_TARGET_P99_MILLIS, 0))
                .append(" ms |\n|---|---|---|---|---|---|---|---|\n");
        List<String> errors = new ArrayList<>();
        heartbeats.forEach((servers, r) -> {
            LatencyStats b = r.batches();
            LatencyStats s = r.singles();
            List<String> missed = new ArrayList<>();
            if (r.entriesPerSecond() < P1_TARGET_BATCH) {
                missed.add("batch rate");
            }
            if (s.perSecond() < P1_TARGET_SINGLE) {
                missed.add("single rate");
            }
            if (s.p99Millis() >= P1_TARGET_P99_MILLIS) {
                missed.add("single p99");
            }
            if (b.errors() + s.errors() > 0) {
                missed.add("errors");
            }
            md.append("| ").append(servers).append(" | ").append(fmt(r.registerSeconds(), 1)).append(" | ")
                    .append(fmt(r.entriesPerSecond(), 0)).append(" | ").append(fmt(b.p50Millis(), 1)).append(" / ")
                    .append(fmt(b.p99Millis(), 1)).append(" | ").append(fmt(s.perSecond(), 0)).append(" | ")
                    .append(fmt(s.p50Millis(), 1)).append(" / ").append(fmt(s.p99Millis(), 1)).append(" | ")
                    .append(b.errors() + s.errors()).append(" | ")
                    .append(missed.isEmpty() ? "met" : "**not met** (" + String.join(", ", missed) + ")").append(" |\n");
            if (b.firstError() != null) {
                errors.add(servers + " servers, batch: " + b.firstError());
            }
            if (s.firstError() != null) {
                errors.add(servers + " servers, single: " + s.firstError());
            }
        });
        md.append('\n');
        if (!errors.isEmpty()) {
            md.append("First errors:\n\n");
            errors.forEach(e -> md.append("- `").append(e.replace('`', '\'').replace("\n", " ")).append("`\n"));
            md.append('\n');
        }
    }

    private void p2(StringBuilder md) {
        md.append("## P2: heartbeat detector pass over N servers\n\n");
        md.append("Measured in the harness's JVM, as P3: embedded PostgreSQL, Flyway migrations, a Hikari pool of 4, ")
                .append("calling `HeartbeatDetector.pass(now)` (the code `ServerHeartbeatDetectorJob` runs; class ")
                .append("`dev.sco.orchestrator.serverfailover.HeartbeatDetectorBench` under `src/bench/java`) with the ")
                .append("default settings (grace 30 s, cool-down 10 min). The fleet of each size replaces the previous ")
                .append("one: N servers with a period of 180 s and one standby, all Up except ")
                .append(dev.sco.orchestrator.serverfailover.HeartbeatDetectorBench.DOWN)
                .append(" whose last heartbeat is 10 minutes old, each with two open sessions. Each run:\n\n")
                .append("- *pass with Down servers*: the whole pass: the set-based query over all servers, the decisions, ")
                .append("claiming the outages, closing their sessions, recording the decisions, and the start phase. ")
                .append("**Not included**: the engine start of the failover process per claimed outage; the bench ")
                .append("replaces `ServerFailoverProcesses.start` by one that hands back an id (one process start each, ")
                .append("see P7 for that rate);\n")
                .append("- *quiet pass*: the next pass, which finds every Down server already acted on (the steady state).\n\n")
                .append("Before each run the outages of the previous run are removed and the sessions reopened. ")
                .append("Every run is checked (Down, claimed, started, sessions closed; nothing in the quiet pass). ")
                .append("Median / max over ").append(settings.p2Runs()).append(" runs per size.\n\n");
        md.append("| servers | Down | pass with Down servers (ms) | quiet pass (ms) | target < ")
                .append(fmt(P2_TARGET_MILLIS_100K, 0)).append(" ms at 100,000 |\n|---|---|---|---|---|\n");
        passes.forEach((servers, runs) -> {
            List<Double> acting = runs.stream().map(r -> r.actingMillis()).toList();
            List<Double> quiet = runs.stream().map(r -> r.quietMillis()).toList();
            double worst = Math.max(max(acting), max(quiet));
            String verdict = servers != 100_000 ? "no target at this size"
                    : worst < P2_TARGET_MILLIS_100K ? "met" : "**not met**";
            md.append("| ").append(servers).append(" | ").append(runs.get(0).down()).append(" | ")
                    .append(medianMax(acting)).append(" | ").append(medianMax(quiet)).append(" | ").append(verdict)
                    .append(" |\n");
        });
        md.append("\nThe verdict takes the slowest run of either kind.\n\n");
        md.append("### Detection latency\n\n")
                .append("A fresh orchestrator per size, launched as in P9 with `ORCHESTRATOR_DETECTOR_INTERVAL=1s` and ")
                .append("`ORCHESTRATOR_DETECTOR_GRACE=0s`. N servers with an unresponsive period of ")
                .append(DetectionLatency.PERIOD_SECONDS).append(" s heartbeat every second through ")
                .append("`POST /api/heartbeats` (batches of 1,000, explicit `at`); ").append(DetectionLatency.TARGETS)
                .append(" of them (with a standby) stop one second apart while the others go on. Measured per stopped ")
                .append("server: its last heartbeat → the start time of its `serverFailoverProcess` (engine history). ")
                .append("Target: ≤ period + 2 s.\n\n")
                .append("| servers | last heartbeat → process started (ms), per stopped server | target (ms) | result |\n")
                .append("|---|---|---|---|\n");
        double target = (DetectionLatency.PERIOD_SECONDS + 2) * 1000.0;
        latencies.forEach((servers, runs) -> {
            double worst = runs.stream().mapToDouble(DetectionLatency.Run::millis).max().orElse(Double.NaN);
            md.append("| ").append(servers).append(" | ")
                    .append(String.join(", ", runs.stream().map(r -> fmt(r.millis(), 0)).toList())).append(" | ")
                    .append(fmt(target, 0)).append(" | ").append(worst <= target ? "met" : "**not met**").append(" |\n");
        });
        if (latencies.isEmpty()) {
            md.append("| — | not measured in this run | | |\n");
        }
        md.append('\n');
    }

    private void p5(StringBuilder md) {
        md.append("## P5: sync throughput against the raw COPY pipe\n\n");
        md.append("A fresh orchestrator launched as in P9 with `ORCHESTRATOR_SYNC_SCHEDULE=false` (runs only when asked), ")
                .append("`ORCHESTRATOR_SYNC_WINDOW_MINUTES=0` (any time of day) and `ORCHESTRATOR_SYNC_OVERLAP=0s` ")
                .append("(an incremental run re-reads nothing before its previous checkpoint; with the default 5 min a ")
                .append("run re-copies the rows of the last 5 minutes). Its demo pair `").append(SyncThroughput.PRIMARY)
                .append("` → `").append(SyncThroughput.FAILOVER).append("` is two PostgreSQL servers on this machine. ")
                .append("For each round of a size, over JDBC from the harness: the primary's sample tables are emptied ")
                .append("and filled by `SampleDataGenerator` with N events over ").append(SyncThroughput.DAYS)
                .append(" days and N/10 alerts (plus their parameters, samples, history and links), the failover's ")
                .append("daily partitions for the generated days are made sure of (the raw pipe cannot create ")
                .append("partitions, so both start from the same target; a first run's one-off partition DDL is not ")
                .append("copy throughput), then the two, in the round's order:\n\n")
                .append("- *sync run*: `POST /api/sync/").append(SyncThroughput.PRIMARY).append("/runs` as `demo`; the time ")
                .append("is the run's own `startedAt` → `endedAt` from `GET /api/sync/").append(SyncThroughput.PRIMARY)
                .append("/runs` (the wall time, request to the poll that saw it ended, polled every ")
                .append(SyncThroughput.POLL.toMillis()).append(" ms, is shown too). It ")
                .append("copies every row (rows newer than the previous round's checkpoint, and the whole ")
                .append("non-referenced tables); both sides must then hold the same number of rows;\n")
                .append("- *nothing new*: ").append(SyncThroughput.NOTHING_NEW_RUNS).append(" more runs right after ")
                .append("(each still copies the non-referenced tables whole, as every run does);\n")
                .append("- *raw pipe*: for each table, parents first, ")
                .append("`COPY (select * from t) TO STDOUT (FORMAT binary)` on the primary read with PgJDBC's ")
                .append("`CopyManager` and written as it arrives into `COPY t FROM STDIN (FORMAT binary)` on the failover, ")
                .append("one connection each side, auto-commit; row counts checked again.\n\n")
                .append("Each of the two starts from the failover's tables emptied (partitions kept) and a checkpoint on ")
                .append("both servers. A size is measured in rounds (").append(Benchmarks.Settings.DEFAULT_P5_ROUNDS)
                .append(" for ").append(Benchmarks.Settings.DEFAULT_P5_SIZES)
                .append(" events: the smallest size's rounds last about a second, where a busy moment of ")
                .append("the machine weighs most), each on newly generated rows, alternating which ")
                .append("of the two goes first (round 1 the sync run, round 2 the raw pipe, ...). Before the first size, ")
                .append("one uncounted round with ").append(SyncThroughput.WARM_UP_EVENTS)
                .append(" events warms both JVMs up (as P1 and P7 do).\n\n")
                .append("Ratio = raw pipe time / sync run time (throughput of the sync relative to the pipe), per round; ")
                .append("the verdict takes the median ratio of a size's rounds, since a single round on this shared ")
                .append("two-processor machine moved by ±10% (at the smallest size, by up to a third).\n\n");
        md.append("| events | rows | round (first) | rows copied by the run | sync run (ms) | wall (ms) | raw pipe (ms) ")
                .append("| ratio |\n|---|---|---|---|---|---|---|---|\n");
        syncs.forEach((events, rounds) -> {
            for (int i = 0; i < rounds.size(); i++) {
                SyncThroughput.Result r = rounds.get(i);
                md.append("| ").append(events).append(" | ").append(r.rows()).append(" | ").append(i + 1)
                        .append(r.rawFirst() ? " (raw pipe)" : " (sync run)").append(" | ").append(r.rowsCopied())
                        .append(" | ").append(fmt(r.syncMillis(), 0)).append(" | ").append(fmt(r.syncWallMillis(), 0))
                        .append(" | ").append(fmt(r.rawMillis(), 0)).append(" | ").append(fmt(r.ratio(), 2))
                        .append(" |\n");
            }
        });
        md.append("\n| events | median ratio | target ≥ ").append(fmt(P5_TARGET_RATIO, 1))
                .append(" | nothing new (ms), all rounds | target < ").append(fmt(P5_TARGET_NOTHING_NEW_MILLIS, 0))
                .append(" ms |\n|---|---|---|---|---|\n");
        syncs.forEach((events, rounds) -> {
            double ratio = median(rounds.stream().map(SyncThroughput.Result::ratio).toList());
            List<Double> nothingNew = rounds.stream().flatMap(r -> r.nothingNewMillis().stream()).toList();
            md.append("| ").append(events).append(" | ").append(fmt(ratio, 2)).append(" | ")
                    .append(ratio >= P5_TARGET_RATIO ? "met" : "**not met**").append(" | ")
                    .append(medianMax(nothingNew)).append(" | ")
                    .append(max(nothingNew) < P5_TARGET_NOTHING_NEW_MILLIS ? "met" : "**not met**").append(" |\n");
        });
        md.append("\n*nothing new* cells are median / max over the runs of every round; the verdict takes the max.\n\n");
    }

    private void p6(StringBuilder md) {
        md.append("## P6: database failover, approval given → every consumer verified\n\n");
        md.append("Each run on a fresh orchestrator launched as in P9 (a failover fences the demo primary, so runs do ")
                .append("not share one). The harness plays the consumers `")
                .append(String.join("`, `", DatabaseFailoverTiming.CONSUMERS)).append("` (bound to `")
                .append(DatabaseFailoverTiming.DATABASE).append("`): each holds a JDBC connection with ")
                .append("`ApplicationName` = its name, polls `GET /api/bindings/{consumer}` every ")
                .append(BindingConsumers.POLL.toMillis()).append(" ms and reconnects (to the `jdbcUrl` of ")
                .append("`GET /api/databases/{name}`) when the binding changes. The run: `POST /api/failovers` ")
                .append("`{database: ").append(DatabaseFailoverTiming.DATABASE).append(", mode: unplanned}` as `demo`; ")
                .append("wait for `").append(DatabaseFailoverTiming.APPROVE).append("` (`GET /engine-rest/task`, as `dba`); ")
                .append("`POST /engine-rest/task/{id}/submit-form` with `approved=true` as `dba`; wait until the ")
                .append("process has ended in the history. The process itself verifies that every consumer has a ")
                .append("session on the new primary and none on the old one, and that the new primary takes a write.\n\n")
                .append("- *approval → end*: end of the approval task → end of the process, both from the engine history ")
                .append("(`GET /engine-rest/history/...`);\n")
                .append("- *wall*: submit request sent → the harness's poll (every 50 ms) saw the process ended;\n")
                .append("- *consumers moved*: submit request sent → the last consumer connected to the new primary.\n\n")
                .append("The job executor runs as configured in `application.yaml`: each asynchronous step waits for ")
                .append("a job acquisition, which shows as the *waited* time of the steps below.\n\n");
        md.append("| run | ended in | approval → end (ms) | wall (ms) | consumers moved (ms) | target ≤ ")
                .append(fmt(P6_TARGET_MILLIS, 0)).append(" ms |\n|---|---|---|---|---|---|\n");
        for (int i = 0; i < failovers.size(); i++) {
            DatabaseFailoverTiming.Result r = failovers.get(i);
            boolean ok = DatabaseFailoverTiming.END_FAILED_OVER.equals(r.endEvent());
            md.append("| ").append(i + 1).append(" | `").append(r.endEvent()).append("` | ")
                    .append(fmt(r.approvedToEndMillis(), 0)).append(" | ").append(fmt(r.wallMillis(), 0)).append(" | ")
                    .append(r.consumersMovedMillis() < 0 ? "not all" : fmt(r.consumersMovedMillis(), 0)).append(" | ")
                    .append(!ok ? "**not met** (did not fail over)"
                            : r.approvedToEndMillis() <= P6_TARGET_MILLIS ? "met" : "**not met**").append(" |\n");
        }
        md.append('\n');
        long deployed = failovers.stream().filter(DatabaseFailoverTiming.Result::deployedByHarness).count();
        if (deployed > 0) {
            md.append("> In ").append(deployed).append(" of ").append(failovers.size()).append(" runs the orchestrator ")
                    .append("had started without `").append(DatabaseFailoverTiming.PROCESS_KEY).append("` deployed (the ")
                    .append("packaged jar logged `ENGINE-08021 Not creating a deployment for process archive ")
                    .append("'orchestrator': no resources provided`): the harness deployed `")
                    .append(DatabaseFailoverTiming.MODEL).append("` from the build over `POST /engine-rest/deployment/create` ")
                    .append("before the failover request. The timed steps run the orchestrator's own delegates either way.\n\n");
        }
        if (failovers.isEmpty()) {
            return;
        }
        md.append("Per step after the approval, in the order they ran: *waited* = its start − the end of the step before ")
                .append("(job acquisition for asynchronous steps), *took* = its own duration; median / max over the runs.\n\n")
                .append("| step | type | waited (ms) | took (ms) |\n|---|---|---|---|\n");
        Map<String, List<DatabaseFailoverTiming.Step>> byStep = new LinkedHashMap<>();
        failovers.forEach(r -> r.steps().forEach(s -> byStep.computeIfAbsent(s.activityId(), k -> new ArrayList<>()).add(s)));
        byStep.forEach((id, steps) -> md.append("| `").append(id).append("` | ").append(steps.get(0).type())
                .append(" | ").append(medianMax(steps.stream().map(s -> s.waitMillis()).toList())).append(" | ")
                .append(medianMax(steps.stream().map(s -> s.millis()).toList())).append(" |\n"));
        List<Double> waited = failovers.stream()
                .map(r -> r.steps().stream().mapToDouble(s -> s.waitMillis()).sum()).toList();
        List<Double> took = failovers.stream()
                .map(r -> r.steps().stream().mapToDouble(s -> s.millis()).sum()).toList();
        md.append("| **all steps** | | ").append(medianMax(waited)).append(" | ").append(medianMax(took)).append(" |\n\n");
    }

    private void p6b(StringBuilder md) {
        md.append("## P6b: unattended failover, primary killed → every consumer verified\n\n");
        md.append("Each run on a fresh orchestrator launched as in P9 with these settings (the health probe the ")
                .append("configuration reference calls safe for production, and the auto-approval bound):\n\n```\n");
        new java.util.TreeMap<>(UnattendedFailoverTiming.SETTINGS).forEach((k, v) -> md.append(k).append('=').append(v)
                .append('\n'));
        md.append("```\n\n")
                .append("The demo primary's fencing methods are the demo estate's: `sql`, then the demo fencing agent ")
                .append("(`POST /api/demo/fencing-agent`, registered at start-up as `PUT /api/databases/{name}/fencing` ")
                .append("would). The pair is synced once (`POST /api/sync/").append(UnattendedFailoverTiming.DATABASE)
                .append("/runs`), so the data-loss window is known and within the bound. Three consumers `")
                .append(String.join("`, `", UnattendedFailoverTiming.CONSUMERS)).append("` follow their bindings: each ")
                .append("runs `select 1` every ").append(BindingConsumers.POLL.toMillis())
                .append(" ms on a connection whose `ApplicationName` is its name, reads `GET /api/bindings/{consumer}` ")
                .append("and moves to the `jdbcUrl` of the database it names. Then the postmaster of `")
                .append(UnattendedFailoverTiming.DATABASE).append("` (first line of its `postmaster.pid`) gets SIGKILL. ")
                .append("No person takes part: a user task fails the run. Times from the kill:\n\n")
                .append("- *detected*: the failover process started by the health probe (engine history);\n")
                .append("- the steps (engine history; each from its first activity's start to its last one's end): ")
                .append("*pre-flight* `ServiceTask_PreFlight`; *fence attempt* `ServiceTask_FenceOldPrimary` (SQL fence, ")
                .append("then the agent); *scripts* stop sync through switch database jobs; *repoint* repoint and tell ")
                .append("consumers to reconnect; *verify* poll timer, verification, record;\n")
                .append("- *last consumer moved*: the last consumer ran `select 1` on the new primary (harness clock);\n")
                .append("- *verified*: the process ended at `").append(UnattendedFailoverTiming.END_FAILED_OVER)
                .append("`, its verification having seen every consumer on the new primary and none on the old one.\n\n");
        md.append("| run | ended in | approved by | detected (ms) |");
        UnattendedFailoverTiming.STEPS.keySet().forEach(step -> md.append(' ').append(step).append(" (ms) |"));
        md.append(" last consumer moved (ms) | **kill → verified (ms)** | target ≤ ").append(fmt(P6B_TARGET_MILLIS, 0))
                .append(" ms |\n|---|---|---|---|");
        UnattendedFailoverTiming.STEPS.keySet().forEach(step -> md.append("---|"));
        md.append("---|---|---|\n");
        for (int i = 0; i < unattended.size(); i++) {
            UnattendedFailoverTiming.Result r = unattended.get(i);
            boolean ok = UnattendedFailoverTiming.END_FAILED_OVER.equals(r.endEvent()) && r.userTasks() == 0;
            md.append("| ").append(i + 1).append(" | `").append(r.endEvent()).append("` | ").append(r.approvedBy())
                    .append(" | ").append(fmt(r.detectedMillis(), 0)).append(" |");
            r.stepMillis().values().forEach(v -> md.append(' ').append(v < 0 ? "—" : fmt(v, 0)).append(" |"));
            md.append(' ').append(r.lastConsumerMillis() < 0 ? "not all" : fmt(r.lastConsumerMillis(), 0)).append(" | **")
                    .append(fmt(r.verifiedMillis(), 0)).append("** | ")
                    .append(!ok ? "**not met** (not unattended to the end)"
                            : r.verifiedMillis() <= P6B_TARGET_MILLIS ? "met" : "**not met**").append(" |\n");
        }
        if (!unattended.isEmpty()) {
            md.append("\nMedian kill → verified: ")
                    .append(fmt(median(unattended.stream().map(UnattendedFailoverTiming.Result::verifiedMillis).toList()), 0))
                    .append(" ms. Between the steps the process waits for job acquisition (asynchronous continuations, ")
                    .append("max wait 1 s) and for the verification's poll timer.\n");
        }
        md.append('\n');
    }

    private void p8(StringBuilder md) {
        md.append("## P8: memory, 10,000 servers heartbeating and 100,000 agents in a clone check\n\n");
        md.append("A fresh orchestrator launched as in P9 with `-Xmx512m` (and ")
                .append(String.join(", ", new java.util.TreeMap<>(Benchmarks.P8_SETTINGS).entrySet().stream()
                        .map(e -> "`" + e.getKey() + "=" + e.getValue() + "`").toList()))
                .append(", so check 1 runs within the benchmark). In order: the P1 load (servers registered, batched and ")
                .append("single heartbeats as in P1); agents of one instance registered with `PUT /api/agents/{name}` ")
                .append("(16 client threads), some of them Down; a clone of that instance reported ")
                .append("(`POST /api/clones`); the snapshot and check 1 run in the service, and every Down agent becomes ")
                .append("an issue with an operator task (one process start each). After each phase the harness asks for ")
                .append("a full GC (`jcmd <pid> GC.run`) and reads the live heap (`jcmd <pid> GC.heap_info`, *used*).\n\n");
        if (memory == null) {
            md.append("No result: see Failures.\n\n");
            return;
        }
        HeartbeatIngestion.Result h = memory.heartbeats();
        md.append("P1 load: ").append(h.servers()).append(" servers; batched ").append(fmt(h.entriesPerSecond(), 0))
                .append(" heartbeats/s, single ").append(fmt(h.singles().perSecond(), 0)).append("/s (p99 ")
                .append(fmt(h.singles().p99Millis(), 1)).append(" ms), errors ")
                .append(h.batches().errors() + h.singles().errors()).append(". Agents: ").append(memory.agents())
                .append(" registered in ").append(fmt(memory.registerSeconds(), 1)).append(" s, ")
                .append(memory.downAgents()).append(" Down; clone reported → every issue written: ")
                .append(fmt(memory.checkSeconds(), 1)).append(" s (including the 5 s until check 1 is due).\n\n");
        md.append("| after | live heap after full GC (MiB) | committed (MiB) |\n|---|---|---|\n");
        memory.heaps().forEach(heap -> md.append("| ").append(heap.after()).append(" | ").append(fmt(heap.usedMiB(), 0))
                .append(" | ").append(fmt(heap.committedMiB(), 0)).append(" |\n"));
        double peak = memory.heaps().stream().mapToDouble(MemoryBound.Heap::usedMiB).max().orElse(0);
        boolean met = !memory.outOfMemory() && peak <= P8_TARGET_MIB;
        md.append("\n`OutOfMemoryError` in the service's log: ").append(memory.outOfMemory() ? "**yes**" : "none")
                .append(". Largest live heap ").append(fmt(peak, 0)).append(" MiB; target live heap ≤ ")
                .append(fmt(P8_TARGET_MIB, 0)).append(" MiB and the loads run under `-Xmx512m`: ")
                .append(met ? "met" : "**not met**").append(".\n\n");
    }

    private void nodes(StringBuilder md) {
        md.append("## Nodes: cost per node and per operation\n\n");
        md.append("One orchestrator database started by the harness (embedded PostgreSQL with the orchestrator's ")
                .append("server settings plus `pg_stat_statements`), orchestrator processes launched as in P9 but on that ")
                .append("database (`ORCHESTRATOR_DB_URL`, demo estate off, an administrator as the client; servers registered ")
                .append("with a one-day period, so none looks Down between phases), each on its ")
                .append("own port. First one node, then a second one started and both loaded at the same time, each ")
                .append("with the same client load: batched heartbeats (batches of ").append(NodeCost.BATCH).append(", ")
                .append(NodeCost.BATCH_THREADS).append(" threads; each node its share of the servers, with explicit ")
                .append("times two seconds apart per pass, so every heartbeat is written as in a fleet beating once a ")
                .append("minute), single heartbeats (to servers of their own, at the service's clock; a server's next one ")
                .append("comes seconds later, so each is written too) and P7 process starts (")
                .append(settings.concurrency()).append(" threads each), after uncounted warm-up requests on each new node. ")
                .append("Per phase the database's counters are read before and after: statements and rows ")
                .append("(`pg_stat_statements`, top level), WAL bytes (`pg_stat_wal`), commits, database size; and the ")
                .append("CPU time (user + system, `/proc`) of the orchestrator JVMs and of all PostgreSQL processes. The ")
                .append("counters include whatever else the nodes did meanwhile (job acquisition, Quartz, sensors).\n\n");
        if (nodePhases.isEmpty()) {
            md.append("No result: see Failures.\n\n");
            return;
        }
        md.append("| nodes | operation | per node (/s) | all nodes (/s) | statements / op | rows / op | WAL bytes / op | ")
                .append("commits / op | DB growth bytes / op | CPU ms / op (JVMs + PostgreSQL) | cores busy (JVMs + PostgreSQL ")
                .append("+ load generator) |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (NodeCost.Phase p : nodePhases) {
            CostMeter.Snapshot d = p.database();
            md.append("| ").append(p.nodes()).append(" | ").append(p.operation()).append(" | ")
                    .append(String.join(" / ", p.perNode().stream().map(v -> fmt(v, 0)).toList())).append(" | ")
                    .append(fmt(p.total(), 0)).append(" | ").append(fmt(p.perOperation(d.statements()), 2)).append(" | ")
                    .append(fmt(p.perOperation(d.rows()), 2)).append(" | ").append(fmt(p.perOperation(d.walBytes()), 0))
                    .append(" | ").append(fmt(p.perOperation(d.commits()), 3)).append(" | ")
                    .append(fmt(p.perOperation(d.databaseBytes()), 0)).append(" | ")
                    .append(fmt(p.perOperation(p.jvmCpu()), 3)).append(" + ").append(fmt(p.perOperation(d.cpuMillis()), 3))
                    .append(" | ").append(fmt(p.jvmCpu() / 1000.0 / p.seconds(), 2)).append(" + ")
                    .append(fmt(d.cpuMillis() / 1000.0 / p.seconds(), 2)).append(" + ")
                    .append(fmt(p.harnessCpuMillis() / 1000.0 / p.seconds(), 2)).append(" |\n");
        }
        md.append("\n*cores busy* = CPU seconds / wall seconds of the phase; the machine has ").append(machine.cpus())
                .append(" processors, shared by the nodes, PostgreSQL and the load generator (the harness's JVM).\n\n");
        saturation(md);
        if (!nodeTables.isEmpty()) {
            md.append("Largest tables of the orchestrator database at the end (with indexes):\n\n")
                    .append("| table | bytes | live rows |\n|---|---|---|\n");
            nodeTables.forEach(t -> md.append("| `").append(t[0]).append("` | ").append(t[1]).append(" | ").append(t[2])
                    .append(" |\n"));
            md.append('\n');
        }
    }

    /**
     * What limits first, read from the phases: per operation, one node against two (throughput, the
     * CPU all processes kept busy, and the database's cost per operation, which stays the same
     * when the database is not what limits).
     */
    private void saturation(StringBuilder md) {
        md.append("**What saturates first**, per operation (computed from the table):\n\n");
        for (NodeCost.Phase two : nodePhases) {
            if (two.nodes() < 2) {
                continue;
            }
            NodeCost.Phase one = nodePhases.stream()
                    .filter(p -> p.nodes() == 1 && p.operation().equals(two.operation())).findFirst().orElse(null);
            if (one == null) {
                continue;
            }
            double jvm = two.jvmCpu() / 1000.0 / two.seconds();
            double pg = two.database().cpuMillis() / 1000.0 / two.seconds();
            double harness = two.harnessCpuMillis() / 1000.0 / two.seconds();
            double busy = jvm + pg + harness;
            double statementsOne = one.perOperation(one.database().statements());
            double statementsTwo = two.perOperation(two.database().statements());
            md.append("- ").append(two.operation()).append(": ").append(fmt(one.total(), 0)).append("/s with one node, ")
                    .append(fmt(two.total(), 0)).append("/s with two (× ").append(fmt(two.total() / one.total(), 2))
                    .append("). With two nodes the processes kept ").append(fmt(busy, 2)).append(" of the ")
                    .append(machine.cpus()).append(" cores busy (nodes ").append(fmt(jvm, 2)).append(", PostgreSQL ")
                    .append(fmt(pg, 2)).append(", load generator ").append(fmt(harness, 2)).append("): ");
            if (busy >= 0.85 * machine.cpus()) {
                md.append("the machine's CPU is the limit, and of the work on it the ")
                        .append(jvm >= pg ? "nodes" : "database").append(" take").append(jvm >= pg ? "" : "s")
                        .append(" the larger share");
            } else {
                md.append("the CPU is not used up, so the limit is elsewhere (latency of each request: the clients ")
                        .append("wait for each answer)");
            }
            md.append("; statements per operation ").append(fmt(statementsOne, 2)).append(" with one node, ")
                    .append(fmt(statementsTwo, 2)).append(" with two.\n");
        }
        md.append('\n');
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
        row(md, "load average at start / end", machine.loadAtStart() + " / " + loadAtEnd
                + " (includes the benchmark's own processes)");
        if (otherWork != null) {
            row(md, "other work during the run (cores: average / busiest 10 s)", fmt(otherWork.averageCores(), 2)
                    + " / " + fmt(otherWork.peakCores(), 2) + " (machine CPU from /proc/stat minus the benchmark's "
                    + "processes: this harness, what it started, its PostgreSQL servers)");
        }
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
                .append(" warm-up starts per engine that are not counted. Both engines run side by side, each on its own ")
                .append("PostgreSQL, and are loaded one at a time: each size is measured on one engine right after the ")
                .append("other, and which goes first alternates from size to size (the first size starts with the ")
                .append("orchestrator), so that the machine's drift over minutes weighs on both alike. Right before ")
                .append("each measured batch, ").append(Benchmarks.REWARM_STARTS)
                .append(" uncounted starts wake the engine up after its pause. The engine not ")
                .append("being loaded idles meanwhile (its timers, job acquisition and, for the orchestrator, its ")
                .append("sensors keep running).\n\n");
        md.append("- **orchestrator**: HTTP Basic as `demo` (demo estate), engine authorization on (every permission ")
                .append("checked; answers remembered until the authorization table changes), the start answered by its ")
                .append("start path for plain bodies (`platform.web.ProcessStartFastPath`, docs/architecture.md); ")
                .append("the throughput collector the image runs it with (`-XX:+UseParallelGC`, Dockerfile); ")
                .append("fresh data directory:\n\n")
                .append("  ```\n  ORCHESTRATOR_DATA_DIR=<data dir> java -XX:+UseParallelGC -jar target/orchestrator.jar ")
                .append("--server.port=<free port> --server.address=127.0.0.1\n  ```\n\n");
        md.append("- **stock**: Camunda 7.24 Spring Boot starter REST with its defaults, unauthenticated, its own ")
                .append("embedded PostgreSQL (zonky defaults), no orchestrator class or setting on its classpath:\n\n")
                .append("  ```\n  java -Dstock.data-dir=<data dir> -cp target/test-classes:<runtime libraries> ")
                .append("dev.sco.bench.stock.StockEngineApplication --server.port=<free port> --server.address=127.0.0.1\n")
                .append("  ```\n\n");
        md.append("*Server CPU / start*: user + system CPU of the engine's JVM and of its PostgreSQL servers with ")
                .append("their backends (`/proc`) during the batch, per start; *other engine*: the CPU the engine not ")
                .append("being loaded used meanwhile, in cores.\n\n");
        md.append("| starts | engine | answered | errors | seconds | starts/s | p50 (ms) | p99 (ms) | max (ms) ")
                .append("| server CPU / start (ms) | other engine (cores) |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int size : settings.p7Sizes()) {
            starts.forEach((engine, bySize) -> {
                LatencyStats s = bySize.get(size);
                double[] cost = startCosts.getOrDefault(engine, Map.of()).get(size);
                if (s != null) {
                    md.append("| ").append(size).append(" | ").append(engine).append(" | ").append(s.completed())
                            .append(" | ").append(s.errors()).append(" | ").append(fmt(s.seconds(), 2)).append(" | ")
                            .append(fmt(s.perSecond(), 0)).append(" | ").append(fmt(s.p50Millis(), 1)).append(" | ")
                            .append(fmt(s.p99Millis(), 1)).append(" | ").append(fmt(s.maxMillis(), 1)).append(" | ")
                            .append(cost == null ? "—" : fmt(cost[0], 2)).append(" | ")
                            .append(cost == null ? "—" : fmt(cost[1], 2)).append(" |\n");
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
