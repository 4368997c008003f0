package dev.sco.orchestrator.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The sync API: starting runs, the flag shared by all nodes, stale runs and reset, the window, status. */
@OrchestratorTest
class SyncApiTest {

    @LocalServerPort
    int port;
    @Autowired
    SyncFixture fixture;
    @Autowired
    SyncRepository repository;
    @Autowired
    SyncService service;
    @Autowired
    MutableClock clock;
    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private SyncPair pair;

    @BeforeEach
    void setUp() {
        fixture.outsideWindow(clock);
        pair = fixture.create();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void runStartedOverRestShowsInTheRunLogWithStatusAndMetrics() throws Exception {
        HttpResponse<String> started = post("/api/sync/" + pair.primary() + "/runs", "dba:dba");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        long runId = json.readTree(started.body()).get("runId").asLong();

        await().atMost(Duration.ofSeconds(60)).until(() -> runs(pair.primary()).get("runs").get(0).get("result")
                .asText().equals("succeeded"));
        JsonNode status = runs(pair.primary());
        assertThat(status.get("runs").get(0).get("id").asLong()).isEqualTo(runId);
        assertThat(status.get("runs").get(0).get("requestedBy").asText()).isEqualTo("dba");
        assertThat(status.get("runs").get(0).get("tasks")).hasSize(SyncFixture.tableNames().size());
        assertThat(status.get("lastSuccess").get("runId").asLong()).isEqualTo(runId);
        assertThat(status.get("dataLossWindowSeconds").asLong()).isBetween(0L, 60L);
        assertThat(status.get("tables").get(0).get("rowsCopied").asLong()).isPositive();
        assertThat(status.has("running")).isFalse();
        assertThat(fixture.contents(pair.failover())).isEqualTo(fixture.contents(pair.primary()));

        clock.advance(Duration.ofMinutes(20));
        assertThat(meters.get("sync.data.loss.window.seconds").tag("database", pair.primary()).gauge().value())
                .isGreaterThanOrEqualTo(20 * 60);
        assertThat(meters.get("sync.table.rows").tags("database", pair.primary(), "table", "monitored.event")
                .gauge().value()).isEqualTo(fixture.count(pair.primary(), "event"));
    }

    @Test
    void secondRunIsRefusedWhileAnotherNodeRunsAndStaleFlagCanBeReset() throws Exception {
        long other = repository.begin(pair.primary(), pair.failover(), "scheduled", "node-b/4711/orchestrator", null,
                clock.instant()).orElseThrow();

        HttpResponse<String> refused = post("/api/sync/" + pair.primary() + "/runs", "operator:operator");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("node-b/4711/orchestrator").contains("\"field\":\"database\"");
        HttpResponse<String> resetRefused = post("/api/sync/" + pair.primary() + "/reset", "operator:operator");
        assertThat(resetRefused.statusCode()).isEqualTo(409);
        assertThat(resetRefused.body()).contains("is alive");
        assertThat(runs(pair.primary()).get("running").get("stale").asBoolean()).isFalse();

        clock.advance(Duration.ofMinutes(31));
        fixture.outsideWindow(clock);
        assertThat(runs(pair.primary()).get("running").get("stale").asBoolean()).isTrue();
        HttpResponse<String> reset = post("/api/sync/" + pair.primary() + "/reset", "operator:operator");
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        assertThat(json.readTree(reset.body()).get("runId").asLong()).isEqualTo(other);

        JsonNode abandoned = runs(pair.primary()).get("runs").get(0);
        assertThat(abandoned.get("result").asText()).isEqualTo("abandoned");
        assertThat(post("/api/sync/" + pair.primary() + "/runs", "operator:operator").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> !repository.state(pair.primary()).orElseThrow().running());
        // A late end of the abandoned run does not clear the flag of the run after it.
        assertThat(repository.endRun(pair.primary(), other, true, null, clock.instant())).isZero();
    }

    @Test
    void manualRunInsideTheMaintenanceWindowIsRefusedNamingIt() throws Exception {
        MaintenanceWindow window = service.window();
        Instant now = clock.instant();
        clock.advance(Duration.between(now, window.nextStart(now)).plusMinutes(10));

        HttpResponse<String> refused = post("/api/sync/" + pair.primary() + "/runs", "dba:dba");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("maintenance window");
        assertThat(repository.runs(pair.primary(), 5)).isEmpty();
    }

    @Test
    void unknownOrUnpairedDatabasesAreRefusedNamingThem() throws Exception {
        HttpResponse<String> unknown = get("/api/sync/no-such-db/runs");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no-such-db").contains("\"field\":\"database\"");

        HttpResponse<String> failoverSide = post("/api/sync/" + pair.failover() + "/runs", "dba:dba");
        assertThat(failoverSide.statusCode()).isEqualTo(400);
        assertThat(failoverSide.body()).contains("is a failover database").contains(pair.primary());

        String lonely = "sync-lonely-" + pair.primary().substring(7);
        fixture.register(lonely, dev.sco.orchestrator.platform.EmbeddedPostgresServers.DEMO_PRIMARY,
                lonely.replace('-', '_'), "primary", null);
        HttpResponse<String> unpaired = post("/api/sync/" + lonely + "/runs", "dba:dba");
        assertThat(unpaired.statusCode()).isEqualTo(400);
        assertThat(unpaired.body()).contains("has no failover side");

        assertThat(post("/api/sync/" + pair.primary() + "/runs", "midadmin:midadmin").statusCode()).isEqualTo(403);
    }

    private JsonNode runs(String database) throws Exception {
        HttpResponse<String> response = get("/api/sync/" + database + "/runs");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path, "demo:demo").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String credentials) throws Exception {
        return http.send(request(path, credentials).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path, String credentials) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
}
