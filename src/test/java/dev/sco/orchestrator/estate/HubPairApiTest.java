package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.Api;
import static dev.sco.orchestrator.Api.assertProblem;
import static dev.sco.orchestrator.Api.json;
import static dev.sco.orchestrator.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@OrchestratorTest
class HubPairApiTest {

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void firstHubToBeatBecomesActingAndTheOtherStandby() {
        String pair = unique("pair");
        Api.Response created = api.put("/api/hubs/" + pair, json(Map.of("primary", "hub-a", "secondary", "hub-b")));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().has("acting")).isFalse();
        assertThat(created.body().has("standby")).isFalse();

        assertThat(api.post("/api/hubs/" + pair + "/hub-b/heartbeat").status()).isEqualTo(204);
        assertThat(api.post("/api/hubs/" + pair + "/hub-a/heartbeat").status()).isEqualTo(204);

        Api.Response read = api.get("/api/hubs/" + pair);
        assertThat(read.text("primary")).isEqualTo("hub-a");
        assertThat(read.text("secondary")).isEqualTo("hub-b");
        assertThat(read.text("acting")).isEqualTo("hub-b");
        assertThat(read.text("standby")).isEqualTo("hub-a");
        assertThat(read.text("primaryLastHeartbeat")).isNotNull();
        assertThat(read.text("secondaryLastHeartbeat")).isNotNull();
    }

    @Test
    void concurrentFirstHeartbeatsMakeExactlyOneHubActing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String pair = unique("race");
                api.put("/api/hubs/" + pair, json(Map.of("primary", "left", "secondary", "right")));
                CyclicBarrier start = new CyclicBarrier(2);
                List<CompletableFuture<Integer>> beats = new ArrayList<>();
                for (String hub : List.of("left", "right")) {
                    beats.add(CompletableFuture.supplyAsync(() -> {
                        await(start);
                        return api.post("/api/hubs/" + pair + "/" + hub + "/heartbeat").status();
                    }, pool));
                }
                for (CompletableFuture<Integer> beat : beats) {
                    assertThat(beat.get()).isEqualTo(204);
                }
                Api.Response read = api.get("/api/hubs/" + pair);
                assertThat(read.text("acting")).isIn("left", "right");
                assertThat(read.text("standby")).isIn("left", "right").isNotEqualTo(read.text("acting"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reconfiguringKeepsTheActingHubWhileItStaysInThePair() {
        String pair = unique("pair");
        api.put("/api/hubs/" + pair, json(Map.of("primary", "hub-a", "secondary", "hub-b")));
        api.post("/api/hubs/" + pair + "/hub-a/heartbeat");

        Api.Response swapped = api.put("/api/hubs/" + pair, json(Map.of("primary", "hub-b", "secondary", "hub-a")));
        assertThat(swapped.status()).isEqualTo(200);
        assertThat(swapped.text("acting")).isEqualTo("hub-a");
        assertThat(swapped.text("secondaryLastHeartbeat")).isNotNull();
        assertThat(swapped.body().has("primaryLastHeartbeat")).isFalse();

        Api.Response replaced = api.put("/api/hubs/" + pair, json(Map.of("primary", "hub-b", "secondary", "hub-c")));
        assertThat(replaced.body().has("acting")).isFalse();
        assertThat(replaced.body().has("secondaryLastHeartbeat")).isFalse();
    }

    @Test
    void refusesUnknownPairHubAndBadConfiguration() {
        String pair = unique("pair");
        assertProblem(api.post("/api/hubs/" + pair + "/hub-a/heartbeat"), 404, "pair");
        assertProblem(api.get("/api/hubs/" + pair), 404, "pair");
        assertProblem(api.put("/api/hubs/" + pair, json(Map.of("primary", "hub-a", "secondary", "hub-a"))), 400,
                "secondary");
        assertProblem(api.put("/api/hubs/" + pair, json(Map.of("primary", "hub-a"))), 400, "secondary");
        assertProblem(api.as(Api.MID_ADMIN).put("/api/hubs/" + pair,
                json(Map.of("primary", "hub-a", "secondary", "hub-b"))), 403, null);
        assertProblem(api.get("/api/hubs/" + pair), 404, "pair");

        api.put("/api/hubs/" + pair, json(Map.of("primary", "hub-a", "secondary", "hub-b")));
        assertProblem(api.post("/api/hubs/" + pair + "/hub-z/heartbeat"), 404, "hub");
        assertThat(api.get("/api/hubs/" + pair).body().has("acting")).isFalse();
        assertThat(api.get("/api/hubs").body().findValuesAsText("name")).contains(pair);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
