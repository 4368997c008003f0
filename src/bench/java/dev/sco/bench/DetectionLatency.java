package dev.sco.bench;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * P2 detection latency against a running orchestrator (detector every second, no grace): a fleet
 * of N servers heartbeats every second through the batch endpoint; a few of them stop. For each,
 * the time from its last heartbeat to the start of its {@code serverFailoverProcess} is compared
 * with its unresponsive period + 2 s.
 */
final class DetectionLatency {

    static final int PERIOD_SECONDS = 5;
    static final int TARGETS = 3;
    private static final Duration LIMIT = Duration.ofSeconds(60);

    record Run(String server, Instant lastHeartbeat, Instant processStarted) {
        double millis() {
            return Duration.between(lastHeartbeat, processStarted).toMillis();
        }
    }

    private final ApiClient api;
    private final String user;

    DetectionLatency(ApiClient api, String user) {
        this.api = api;
        this.user = user;
    }

    List<Run> measure(int servers) throws IOException, InterruptedException {
        String prefix = "p2l-" + servers + "-";
        put("/api/servers/" + prefix + "standby", "{\"kind\":\"management\"}");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                String name = prefix + i;
                String body = i < TARGETS
                        ? "{\"kind\":\"management\",\"standby\":\"" + prefix + "standby\",\"unresponsivePeriodSeconds\":"
                        + PERIOD_SECONDS + "}"
                        : "{\"kind\":\"management\",\"unresponsivePeriodSeconds\":" + PERIOD_SECONDS + "}";
                puts.add(pool.submit(() -> {
                    put("/api/servers/" + name, body);
                    return null;
                }));
            }
            for (Future<?> put : puts) {
                put.get(2, TimeUnit.MINUTES);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("P2 latency: servers not registered: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        // Two rounds with every server, then the targets are left out one round apart.
        Instant[] lastBeat = new Instant[TARGETS];
        for (int round = 0; round < 2 + TARGETS; round++) {
            int silent = Math.max(0, round - 1);
            Instant at = Instant.now();
            beat(prefix, servers, silent, at);
            for (int t = 0; t < TARGETS; t++) {
                if (t >= silent) {
                    lastBeat[t] = at;
                }
            }
            Thread.sleep(1_000);
        }
        List<Run> runs = new ArrayList<>();
        Instant deadline = Instant.now().plus(LIMIT);
        for (int t = 0; t < TARGETS; t++) {
            Instant started = null;
            while (started == null && Instant.now().isBefore(deadline)) {
                beat(prefix, servers, TARGETS, Instant.now());
                JsonNode outages = api.get("/api/servers/" + prefix + t + "/failovers", user);
                // The outage is recorded before its process starts (the field is absent until then).
                if (outages.size() > 0 && outages.get(0).hasNonNull("processInstanceId")) {
                    JsonNode process = api.get("/engine-rest/history/process-instance/"
                            + outages.get(0).get("processInstanceId").asText(), user);
                    started = ApiClient.instant(process.get("startTime"));
                } else {
                    Thread.sleep(200);
                }
            }
            if (started == null) {
                throw new IllegalStateException("P2 latency: no failover of " + prefix + t + " within " + LIMIT);
            }
            runs.add(new Run(prefix + t, lastBeat[t], started));
        }
        return runs;
    }

    /** Every server except the first {@code silent} targets reports, in batches of 1,000. */
    private void beat(String prefix, int servers, int silent, Instant at) throws IOException, InterruptedException {
        StringBuilder batch = new StringBuilder();
        int inBatch = 0;
        for (int i = -1; i < servers; i++) {
            if (i >= 0 && i < silent) {
                continue;
            }
            String name = i < 0 ? prefix + "standby" : prefix + i;
            batch.append(inBatch == 0 ? "[" : ",").append("{\"server\":\"").append(name).append("\",\"at\":\"")
                    .append(at).append("\"}");
            if (++inBatch == 1_000) {
                api.post("/api/heartbeats", user, batch.append(']').toString());
                batch.setLength(0);
                inBatch = 0;
            }
        }
        if (inBatch > 0) {
            api.post("/api/heartbeats", user, batch.append(']').toString());
        }
    }

    private void put(String path, String body) throws IOException, InterruptedException {
        api.send(api.request(path, user).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
