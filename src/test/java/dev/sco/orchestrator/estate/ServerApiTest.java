package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.Api;
import static dev.sco.orchestrator.Api.assertProblem;
import static dev.sco.orchestrator.Api.json;
import static dev.sco.orchestrator.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@OrchestratorTest
class ServerApiTest {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void createsThenReplacesAServer() {
        String standby = createServer(unique("standby"));
        String name = unique("mgmt");

        Api.Response created = api.put("/api/servers/" + name, json(Map.of(
                "kind", "management", "site", "site-a", "standby", standby, "unresponsivePeriodSeconds", 120)));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("name")).isEqualTo(name);
        assertThat(created.text("kind")).isEqualTo("management");
        assertThat(created.text("standby")).isEqualTo(standby);
        assertThat(created.body().path("unresponsivePeriodSeconds").asInt()).isEqualTo(120);

        Api.Response updated = api.put("/api/servers/" + name, json(Map.of("kind", "top-tier", "site", "site-b")));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.text("kind")).isEqualTo("top-tier");
        assertThat(updated.text("site")).isEqualTo("site-b");
        assertThat(updated.body().has("standby")).isFalse();
        assertThat(updated.body().path("unresponsivePeriodSeconds").asInt()).isEqualTo(180);

        Api.Response read = api.get("/api/servers/" + name);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("kind")).isEqualTo("top-tier");
        assertThat(api.get("/api/servers").body().findValuesAsText("name")).contains(name, standby);
    }

    @Test
    void serverIsDownUntilItPingsAndAgainOnceItsPeriodHasPassed() {
        String name = unique("collector");
        api.put("/api/servers/" + name, json(Map.of("kind", "collector", "unresponsivePeriodSeconds", 60)));
        Api.Response neverPinged = api.get("/api/servers/" + name);
        assertThat(neverPinged.text("status")).isEqualTo("Down");
        assertThat(neverPinged.body().has("lastPingAt")).isFalse();

        assertThat(api.post("/api/servers/" + name + "/heartbeat").status()).isEqualTo(204);
        Api.Response pinged = api.get("/api/servers/" + name);
        assertThat(pinged.text("status")).isEqualTo("Up");
        Instant lastPing = Instant.parse(pinged.text("lastPingAt"));

        clock.advance(Duration.ofSeconds(59));
        assertThat(api.get("/api/servers/" + name).text("status")).isEqualTo("Up");
        clock.advance(Duration.ofSeconds(2));
        Api.Response late = api.get("/api/servers/" + name);
        assertThat(late.text("status")).isEqualTo("Down");
        assertThat(Instant.parse(late.text("lastPingAt"))).isEqualTo(lastPing);

        api.post("/api/servers/" + name + "/heartbeat");
        assertThat(api.get("/api/servers/" + name).text("status")).isEqualTo("Up");
    }

    @Test
    void pingsInsideTheResolutionAreNotRewrittenAndTheResolutionFollowsThePeriod() {
        String slow = unique("collector");
        api.put("/api/servers/" + slow, json(Map.of("kind", "collector", "unresponsivePeriodSeconds", 180)));
        String fast = unique("collector");
        api.put("/api/servers/" + fast, json(Map.of("kind", "collector", "unresponsivePeriodSeconds", 1)));
        api.post("/api/servers/" + slow + "/heartbeat");
        api.post("/api/servers/" + fast + "/heartbeat");
        Instant firstSlow = lastPing(slow);
        Instant firstFast = lastPing(fast);

        // 180 s period: the resolution is 1 s. 1 s period: a tenth of it, 100 ms. (The test clock
        // also runs in real time, well under the 850 ms margin.)
        clock.advance(Duration.ofMillis(150));
        assertThat(api.post("/api/servers/" + slow + "/heartbeat").status()).isEqualTo(204);
        assertThat(api.post("/api/servers/" + fast + "/heartbeat").status()).isEqualTo(204);
        assertThat(lastPing(slow)).isEqualTo(firstSlow);
        assertThat(lastPing(fast)).isAfterOrEqualTo(firstFast.plusMillis(150));

        clock.advance(Duration.ofMillis(850));
        api.post("/api/servers/" + slow + "/heartbeat");
        assertThat(lastPing(slow)).isAfterOrEqualTo(firstSlow.plusSeconds(1));
    }

    private Instant lastPing(String server) {
        return Instant.parse(api.get("/api/servers/" + server).text("lastPingAt"));
    }

    @Test
    void heartbeatOfUnknownServerIsNotFound() {
        assertProblem(api.post("/api/servers/" + unique("ghost") + "/heartbeat"), 404, "name");
    }

    @Test
    void refusesUnknownOrSelfStandbyWithoutWriting() {
        String name = unique("gw");
        assertProblem(api.put("/api/servers/" + name, json(Map.of("kind", "gateway", "standby", unique("ghost")))),
                400, "standby");
        assertProblem(api.put("/api/servers/" + name, json(Map.of("kind", "gateway", "standby", name))),
                400, "standby");
        assertThat(api.get("/api/servers/" + name).status()).isEqualTo(404);
    }

    @Test
    void refusesUnresponsivePeriodOutsideOneSecondToOneDay() {
        String name = createServer(unique("gw"));
        for (int period : new int[] {0, -5, 86_401}) {
            assertProblem(api.put("/api/servers/" + name,
                    json(Map.of("kind", "management", "unresponsivePeriodSeconds", period))),
                    400, "unresponsivePeriodSeconds");
        }
        assertThat(api.put("/api/servers/" + name,
                json(Map.of("kind", "gateway", "unresponsivePeriodSeconds", 86_400))).status()).isEqualTo(200);
        assertThat(api.get("/api/servers/" + name).body().path("unresponsivePeriodSeconds").asInt())
                .isEqualTo(86_400);
    }

    @Test
    void refusesMissingOrUnknownKind() {
        String name = unique("srv");
        assertProblem(api.put("/api/servers/" + name, json(Map.of("site", "x"))), 400, "kind");
        assertProblem(api.put("/api/servers/" + name, json(Map.of("kind", "mainframe"))), 400, "kind");
        assertThat(api.get("/api/servers/" + name).status()).isEqualTo(404);
    }

    @Test
    void onlyOperatorsDbasAndAdministratorsChangeServers() {
        String name = unique("srv");
        assertProblem(api.as(Api.MID_ADMIN).put("/api/servers/" + name, json(Map.of("kind", "gateway"))),
                403, null);
        assertProblem(api.as(Api.MID_ADMIN).post("/api/servers/" + name + "/heartbeat"), 403, null);
        assertThat(api.as(Api.MID_ADMIN).get("/api/servers").status()).isEqualTo(200);
        assertThat(api.get("/api/servers/" + name).status()).isEqualTo(404);
        assertThat(api.as(Api.OPERATOR).put("/api/servers/" + name, json(Map.of("kind", "gateway"))).status())
                .isEqualTo(201);
    }

    private String createServer(String name) {
        assertThat(api.put("/api/servers/" + name, json(Map.of("kind", "management"))).status()).isEqualTo(201);
        return name;
    }
}
