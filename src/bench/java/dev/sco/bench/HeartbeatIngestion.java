package dev.sco.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.function.IntFunction;

/**
 * P1: heartbeats into a running orchestrator. Servers are registered with concurrent
 * {@code PUT /api/servers/{name}}; then heartbeats go in through the batch endpoint and as
 * single requests, each from a fixed number of client threads in a closed loop.
 */
final class HeartbeatIngestion {

    static final int REGISTER_THREADS = 16;
    static final int BATCH_THREADS = 4;
    static final int BATCH_SIZE = 1_000;
    private static final Duration LIMIT = Duration.ofMinutes(5);

    /** One size: the batch and the single-request phase. */
    record Result(int servers, double registerSeconds, LatencyStats batches, int batchEntries, LatencyStats singles) {

        double entriesPerSecond() {
            return batches.perSecond() * batchEntries;
        }
    }

    private final HttpClient http;
    private final ApiClient api;
    private final String user;
    private int registered;
    private boolean warmedUp;

    /**
     * Uncounted single heartbeats before the first size. The service's request path reaches its
     * compiled steady state only after some tens of thousands of requests (tried with wrk against
     * one orchestrator: about 3,000/s for the first 10 s, 7,000/s from the third 10 s on).
     */
    static final int WARM_UP_SINGLES = 40_000;

    HeartbeatIngestion(HttpClient http, ApiClient api, String user) {
        this.http = http;
        this.api = api;
        this.user = user;
    }

    static String server(int i) {
        return "p1-server-" + i;
    }

    /**
     * Registers servers up to {@code servers} (the ones of smaller sizes stay), then sends
     * {@code beats} heartbeats in batches and {@code singles} single heartbeats, cycling over the names.
     */
    Result measure(int servers, int beats, int singles, int singleThreads) throws InterruptedException {
        LatencyStats registering = run(servers - registered, REGISTER_THREADS, i -> api.request(
                        "/api/servers/" + server(registered + i), user)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"kind\":\"management\"}")).build());
        if (registering.errors() > 0) {
            throw new IllegalStateException("P1: " + registering.errors() + " servers not registered, first: "
                    + registering.firstError());
        }
        registered = servers;
        int perBatch = Math.min(BATCH_SIZE, servers);
        int batchCount = Math.max(1, beats / perBatch);
        LatencyStats batches = run(batchCount, BATCH_THREADS, b -> {
            StringBuilder body = new StringBuilder(perBatch * 32).append('[');
            for (int k = 0; k < perBatch; k++) {
                body.append(k == 0 ? "" : ",").append("{\"server\":\"")
                        .append(server((int) (((long) b * perBatch + k) % servers))).append("\"}");
            }
            return api.request("/api/heartbeats", user).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build();
        });
        if (!warmedUp) {
            // The first size runs on a cold JVM: one uncounted round of single requests first, as P7 warms up.
            run(WARM_UP_SINGLES, singleThreads, i -> api.request(
                    "/api/servers/" + server(i % servers) + "/heartbeat", user)
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            warmedUp = true;
        }
        LatencyStats single = run(singles, singleThreads, i -> api.request(
                "/api/servers/" + server(i % servers) + "/heartbeat", user)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        return new Result(servers, registering.seconds(), batches, perBatch, single);
    }

    /** {@code count} requests from {@code threads} threads; each answer must be 2xx and, for a batch, accept all. */
    private LatencyStats run(int count, int threads, IntFunction<HttpRequest> requests) throws InterruptedException {
        return ClosedLoop.run(http, "bench-p1", count, threads, LIMIT, requests, response -> {
            if (response.statusCode() / 100 != 2) {
                return "HTTP " + response.statusCode() + ": " + ApiClient.abbreviate(response.body());
            }
            return response.body().contains("\"unknown\":[\"")
                    ? "unknown servers in a batch: " + ApiClient.abbreviate(response.body()) : null;
        });
    }
}
