package dev.sco.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Cost per node and per operation: the P1 heartbeats (batched and single) and the P7 process
 * starts sent to one orchestrator, then to two orchestrators on the same orchestrator database at
 * the same time (each its own port, each with the same client load). For each phase: the
 * throughput of each node, and the orchestrator database's cost per operation from
 * {@code pg_stat_statements} and {@code pg_stat_wal} (statements, rows, WAL bytes, commits,
 * database growth) with the CPU time of the JVMs and of PostgreSQL, which tells what saturates.
 */
final class NodeCost {

    static final String SERVER_PREFIX = "node-server-";
    /** The single heartbeats go to servers of their own, so they never touch the batches' times. */
    static final String SINGLE_PREFIX = "node-single-";
    /** A day: the fleet never looks Down to the detector between phases; pings still resolve to a second. */
    static final int PERIOD_SECONDS = 86_400;
    private static final Duration LIMIT = Duration.ofMinutes(10);
    static final int BATCH = 1_000;
    static final int BATCH_THREADS = 4;

    /** One operation kind measured with some nodes at once. */
    record Phase(int nodes, String operation, List<Double> perNode, long operations, double seconds,
                 CostMeter.Snapshot database, List<Long> jvmCpuMillis, long harnessCpuMillis, int errors) {

        double total() {
            return perNode.stream().mapToDouble(Double::doubleValue).sum();
        }

        double perOperation(long value) {
            return operations == 0 ? 0 : (double) value / operations;
        }

        long jvmCpu() {
            return jvmCpuMillis.stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A node under load: its address, process and credentials. */
    record Node(String name, String baseUrl, long pid) {
    }

    private final HttpClient http;
    private final CostMeter meter;
    private final String user;
    private final int servers;
    private final int concurrency;
    /** Heartbeat times start an hour back and advance two seconds per pass over the fleet. */
    private final Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private long passes;

    NodeCost(HttpClient http, CostMeter meter, String user, int servers, int concurrency) {
        this.http = http;
        this.meter = meter;
        this.user = user;
        this.servers = servers;
        this.concurrency = concurrency;
    }

    void register(Node node) throws java.io.IOException, InterruptedException {
        ApiClient api = new ApiClient(http, node.baseUrl());
        LatencyStats registered = ClosedLoop.run(http, "bench-nodes-register", 2 * servers, 16, LIMIT,
                i -> api.request("/api/servers/" + (i < servers ? SERVER_PREFIX + i : SINGLE_PREFIX + (i - servers)), user)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"kind\":\"management\",\"unresponsivePeriodSeconds\":"
                                + PERIOD_SECONDS + "}")).build(), NodeCost::check);
        if (registered.errors() > 0) {
            throw new IllegalStateException("servers not registered: " + registered.firstError());
        }
        new EngineRestClient(http, node.baseUrl(), Optional.of(user)).deployModel();
    }

    /** Uncounted: single heartbeats and starts until the node's request paths are compiled. */
    void warmUp(Node node, int singles, int starts) throws InterruptedException {
        ApiClient api = new ApiClient(http, node.baseUrl());
        ClosedLoop.run(http, "bench-nodes-warm", singles, concurrency, LIMIT, single(api), NodeCost::check);
        new EngineRestClient(http, node.baseUrl(), Optional.of(user)).startInstances(starts, concurrency, LIMIT);
    }

    /**
     * Batched heartbeats with explicit times: node k of n sends for the servers whose number modulo
     * n is k, each pass over its servers two seconds after the one before, continuing across
     * phases. So every heartbeat is a write (as for a fleet beating once a minute), never one
     * within the service's one-second resolution that it skips.
     */
    Phase batches(List<Node> nodes, int beatsPerNode) throws Exception {
        int batchesPerNode = Math.max(1, beatsPerNode / BATCH);
        int n = nodes.size();
        int slice = servers / n;
        long firstPass = passes;
        passes += (long) batchesPerNode * BATCH / slice + 1;
        return phase(nodes, "heartbeat (batched)", BATCH, node -> {
            int k = nodes.indexOf(node);
            ApiClient api = new ApiClient(http, node.baseUrl());
            return ClosedLoop.run(http, "bench-nodes-batch", batchesPerNode, BATCH_THREADS, LIMIT, b -> {
                StringBuilder body = new StringBuilder(BATCH * 72).append('[');
                for (int m = 0; m < BATCH; m++) {
                    long entry = (long) b * BATCH + m;
                    long server = (entry % slice) * n + k;
                    Instant at = base.plusSeconds(2 * (firstPass + entry / slice));
                    body.append(m == 0 ? "" : ",").append("{\"server\":\"").append(SERVER_PREFIX).append(server)
                            .append("\",\"at\":\"").append(at).append("\"}");
                }
                return api.request("/api/heartbeats", user).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build();
            }, NodeCost::check);
        });
    }

    Phase singles(List<Node> nodes, int singlesPerNode) throws Exception {
        return phase(nodes, "heartbeat (single)", 1, node -> ClosedLoop.run(http, "bench-nodes-single", singlesPerNode,
                concurrency, LIMIT, single(new ApiClient(http, node.baseUrl())), NodeCost::check));
    }

    Phase starts(List<Node> nodes, int startsPerNode) throws Exception {
        return phase(nodes, "process start (P7)", 1, node -> new EngineRestClient(http, node.baseUrl(), Optional.of(user))
                .startInstances(startsPerNode, concurrency, LIMIT));
    }

    private IntFunction<HttpRequest> single(ApiClient api) {
        return i -> api.request("/api/servers/" + SINGLE_PREFIX + (i % servers) + "/heartbeat", user)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    interface Load {
        LatencyStats run(Node node) throws Exception;
    }

    /** Runs the load against every node at once; the database snapshot and CPU times frame the whole phase. */
    private Phase phase(List<Node> nodes, String operation, int operationsPerRequest, Load load) throws Exception {
        List<Long> cpuBefore = nodes.stream().map(n -> CostMeter.cpuMillis(n.pid())).toList();
        long harnessBefore = CostMeter.processCpuMillis(ProcessHandle.current().pid());
        CostMeter.Snapshot before = meter.snapshot();
        ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
        List<LatencyStats> results = new ArrayList<>();
        try {
            List<Future<LatencyStats>> running = new ArrayList<>();
            for (Node node : nodes) {
                running.add(pool.submit((Callable<LatencyStats>) () -> load.run(node)));
            }
            for (Future<LatencyStats> result : running) {
                results.add(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
        CostMeter.Snapshot cost = meter.snapshot().minus(before);
        long harness = CostMeter.processCpuMillis(ProcessHandle.current().pid()) - harnessBefore;
        List<Long> cpu = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            cpu.add(CostMeter.cpuMillis(nodes.get(i).pid()) - cpuBefore.get(i));
        }
        long operations = 0;
        int errors = 0;
        List<Double> perNode = new ArrayList<>();
        for (LatencyStats stats : results) {
            operations += (long) (stats.completed() - stats.errors()) * operationsPerRequest;
            errors += stats.errors();
            perNode.add(stats.perSecond() * operationsPerRequest);
        }
        if (errors > 0) {
            throw new IllegalStateException(operation + ": " + errors + " errors, first: "
                    + results.stream().map(LatencyStats::firstError).filter(e -> e != null).findFirst().orElse("?"));
        }
        return new Phase(nodes.size(), operation, perNode, operations, cost.seconds(), cost, cpu, harness, errors);
    }

    private static String check(java.net.http.HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            return "HTTP " + response.statusCode() + ": " + ApiClient.abbreviate(response.body());
        }
        return response.body() != null && response.body().contains("\"unknown\":[\"")
                ? "unknown servers in a batch: " + ApiClient.abbreviate(response.body()) : null;
    }
}
