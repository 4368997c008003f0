package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.Api;
import static dev.sco.orchestrator.Api.assertProblem;
import static dev.sco.orchestrator.Api.json;
import static dev.sco.orchestrator.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@OrchestratorTest
class HeartbeatBatchApiTest {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void recordsKnownServersAndListsUnknownOnes() {
        String a = createServer();
        String b = createServer();
        String ghost = unique("ghost");
        Instant at = clock.instant().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);

        Api.Response response = api.post("/api/heartbeats", json(List.of(
                Map.of("server", a, "at", at.toString()),
                Map.of("server", ghost),
                Map.of("server", b))));

        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.body().path("accepted").asInt()).isEqualTo(2);
        assertThat(response.body().path("unknown").get(0).asText()).isEqualTo(ghost);
        assertThat(response.body().path("unknown").size()).isEqualTo(1);
        assertThat(Instant.parse(api.get("/api/servers/" + a).text("lastPingAt"))).isEqualTo(at);
        assertThat(api.get("/api/servers/" + b).text("status")).isEqualTo("Up");
    }

    @Test
    void neverMovesALastPingBackwards() {
        String name = createServer();
        Instant recent = clock.instant().minusSeconds(10).truncatedTo(ChronoUnit.MILLIS);
        api.post("/api/heartbeats", json(List.of(Map.of("server", name, "at", recent.toString()))));

        Api.Response older = api.post("/api/heartbeats", json(List.of(
                Map.of("server", name, "at", recent.minusSeconds(300).toString()),
                Map.of("server", name, "at", recent.minusSeconds(100).toString()))));

        assertThat(older.body().path("accepted").asInt()).isEqualTo(2);
        assertThat(Instant.parse(api.get("/api/servers/" + name).text("lastPingAt"))).isEqualTo(recent);
    }

    @Test
    void latestPingOfABatchWinsWhatEverItsPosition() {
        String name = createServer();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        api.post("/api/heartbeats", json(List.of(
                Map.of("server", name, "at", now.minusSeconds(5).toString()),
                Map.of("server", name, "at", now.minusSeconds(1).toString()),
                Map.of("server", name, "at", now.minusSeconds(9).toString()))));

        assertThat(Instant.parse(api.get("/api/servers/" + name).text("lastPingAt"))).isEqualTo(now.minusSeconds(1));
    }

    @Test
    void aBatchPingMovesTheStoredOneOnlyBeyondTheResolution() {
        String name = createServer();
        Instant at = clock.instant().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS);
        api.post("/api/heartbeats", json(List.of(Map.of("server", name, "at", at.toString()))));

        Api.Response within = api.post("/api/heartbeats", json(List.of(
                Map.of("server", name, "at", at.plusMillis(999).toString()))));
        assertThat(within.body().path("accepted").asInt()).isEqualTo(1);
        assertThat(Instant.parse(api.get("/api/servers/" + name).text("lastPingAt"))).isEqualTo(at);

        api.post("/api/heartbeats", json(List.of(Map.of("server", name, "at", at.plusSeconds(1).toString()))));
        assertThat(Instant.parse(api.get("/api/servers/" + name).text("lastPingAt"))).isEqualTo(at.plusSeconds(1));
    }

    @Test
    void acceptsSmallClockSkewButRefusesTimesFarInTheFutureWithoutWriting() {
        String name = createServer();
        Instant slightlyAhead = clock.instant().plus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.MILLIS);
        assertThat(api.post("/api/heartbeats", json(List.of(Map.of("server", name, "at", slightlyAhead.toString()))))
                .status()).isEqualTo(200);

        String other = createServer();
        Api.Response response = api.post("/api/heartbeats", json(List.of(
                Map.of("server", other),
                Map.of("server", name, "at", clock.instant().plus(Duration.ofMinutes(6)).toString()))));

        assertProblem(response, 400, "[1].at");
        assertThat(api.get("/api/servers/" + other).body().has("lastPingAt")).isFalse();
        assertThat(Instant.parse(api.get("/api/servers/" + name).text("lastPingAt"))).isEqualTo(slightlyAhead);
    }

    @Test
    void namesTheEntryWithABadServerOrTime() {
        String name = createServer();
        assertProblem(api.post("/api/heartbeats", json(List.of(Map.of("server", name), Map.of("at",
                clock.instant().toString())))), 400, "[1].server");
        assertProblem(api.post("/api/heartbeats", json(List.of(Map.of("server", "bad name")))), 400, "[0].server");
        assertProblem(api.post("/api/heartbeats", "[{\"server\":\"" + name + "\"},{\"server\":\"" + name
                + "\",\"at\":\"yesterday\"}]"), 400, "[1].at");
        assertProblem(api.post("/api/heartbeats", "[{\"server\":\"" + name + "\",\"when\":\"now\"}]"), 400,
                "[0].when");
        assertProblem(api.post("/api/heartbeats", "[null]"), 400, "[0]");
        assertProblem(api.post("/api/heartbeats", "{\"server\":\"" + name + "\"}"), 400, "body");
        assertThat(api.get("/api/servers/" + name).body().has("lastPingAt")).isFalse();
    }

    @Test
    void emptyBatchAcceptsNothing() {
        Api.Response response = api.post("/api/heartbeats", "[]");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().path("accepted").asInt()).isZero();
        assertThat(response.body().path("unknown").size()).isZero();
    }

    @Test
    void refusesBatchesOverTenThousandHeartbeats() {
        String name = createServer();
        List<Map<String, String>> batch = new ArrayList<>();
        for (int i = 0; i <= HeartbeatService.MAX_BATCH; i++) {
            batch.add(Map.of("server", name));
        }
        assertProblem(api.post("/api/heartbeats", json(batch)), 413, "body");
        assertThat(api.get("/api/servers/" + name).body().has("lastPingAt")).isFalse();

        Api.Response full = api.post("/api/heartbeats", json(batch.subList(0, HeartbeatService.MAX_BATCH)));
        assertThat(full.body().path("accepted").asInt()).isEqualTo(HeartbeatService.MAX_BATCH);
    }

    @Test
    void onlyWritersSendHeartbeats() {
        assertProblem(api.as(Api.MID_ADMIN).post("/api/heartbeats", "[]"), 403, null);
    }

    private String createServer() {
        String name = unique("hb");
        assertThat(api.put("/api/servers/" + name, json(Map.of("kind", "collector"))).status()).isEqualTo(201);
        return name;
    }
}
