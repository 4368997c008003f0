package dev.sco.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P8: the service launched with {@code -Xmx512m} goes through the P1 load at 10,000 servers and
 * a post-clone check over 100,000 agents of one instance; after each, a full GC is asked for
 * ({@code jcmd GC.run}) and the live heap read ({@code jcmd GC.heap_info}). Any
 * {@code OutOfMemoryError} in the service's log fails the benchmark.
 */
final class MemoryBound {

    static final String INSTANCE = "p8-instance";
    private static final Duration LIMIT = Duration.ofMinutes(10);
    private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

    /** Live heap after a full GC, in MiB, with the committed heap at that moment. */
    record Heap(String after, double usedMiB, double committedMiB) {
    }

    record Result(HeartbeatIngestion.Result heartbeats, int agents, int downAgents, double registerSeconds,
                  double checkSeconds, List<Heap> heaps, boolean outOfMemory) {
    }

    private final HttpClient http;
    private final ApiClient api;
    private final String user;
    private final ServiceProcess service;

    MemoryBound(HttpClient http, ServiceProcess service, String user) {
        this.http = http;
        this.service = service;
        this.api = new ApiClient(http, service.baseUrl());
        this.user = user;
    }

    Result measure(int servers, int beats, int singles, int concurrency, int agents, int downAgents)
            throws IOException, InterruptedException {
        java.util.List<Heap> heaps = new java.util.ArrayList<>();
        heaps.add(heap("start-up (ready)"));
        HeartbeatIngestion.Result heartbeats = new HeartbeatIngestion(http, api, user)
                .measure(servers, beats, singles, concurrency);
        heaps.add(heap("P1 load at " + servers + " servers"));

        LatencyStats registered = ClosedLoop.run(http, "bench-p8-agents", agents, 16, LIMIT, i -> api.request(
                        "/api/agents/p8-agent-" + i, user).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"instance\":\"" + INSTANCE + "\",\"user\":\"mid\","
                        + "\"status\":\"" + (i < downAgents ? "Down" : "Up") + "\",\"registration\":\"automatic\"}"))
                .build(), response -> response.statusCode() / 100 == 2 ? null
                : "HTTP " + response.statusCode() + ": " + ApiClient.abbreviate(response.body()));
        if (registered.errors() > 0) {
            throw new IllegalStateException("P8: " + registered.errors() + " agents not registered, first: "
                    + registered.firstError());
        }
        heaps.add(heap(agents + " agents registered"));

        long begin = System.nanoTime();
        api.post("/api/clones", user, "{\"cloneId\":\"p8-clone\",\"instance\":\"" + INSTANCE + "\",\"completedAt\":\""
                + Instant.now() + "\"}");
        long deadline = begin + LIMIT.toNanos();
        int issues = 0;
        while (System.nanoTime() < deadline) {
            issues = api.get("/api/issues?state=Open&limit=10000", user).size();
            if (issues >= downAgents) {
                break;
            }
            Thread.sleep(500);
        }
        double checkSeconds = (System.nanoTime() - begin) / 1e9;
        if (issues < downAgents) {
            throw new IllegalStateException("P8: check 1 wrote " + issues + " issues of " + downAgents + " within " + LIMIT);
        }
        heaps.add(heap("post-clone check 1 over " + agents + " agents"));
        return new Result(heartbeats, agents, downAgents, registered.seconds(), checkSeconds, heaps,
                service.logContains("OutOfMemoryError"));
    }

    /** {@code jcmd <pid> GC.run}, then the heap's use as {@code GC.heap_info} reports it. */
    Heap heap(String after) throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher used = USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("P8: no heap figures in jcmd GC.heap_info: " + info);
        }
        Heap heap = new Heap(after, Long.parseLong(used.group(2)) / 1024.0, Long.parseLong(used.group(1)) / 1024.0);
        System.out.printf("P8 after %s: live heap %.0f MiB (committed %.0f MiB)%n", after, heap.usedMiB(),
                heap.committedMiB());
        return heap;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(jcmdPath(), Long.toString(service.pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    private static String jcmdPath() {
        String home = System.getProperty("java.home");
        java.nio.file.Path candidate = java.nio.file.Path.of(home, "bin", "jcmd");
        return java.nio.file.Files.isExecutable(candidate) ? candidate.toString() : "jcmd";
    }
}
