package dev.sco.orchestrator.serverfailover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Chains over REST: the first live server before and after a server failover, and refused input. */
@OrchestratorTest
class ChainApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    HeartbeatDetector detector;
    @Autowired
    MutableClock clock;

    private Estate estate;
    private Instant now;

    @BeforeEach
    void setUp() {
        estate = new Estate(jdbc);
        now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    @AfterEach
    void resetClocks() {
        clock.reset();
        ClockUtil.reset();
    }

    @Test
    void agentChainAnswersTheFirstLiveServerAndSkipsAFailedOverOne() {
        String spare = estate.server("spare", null, 60, now);
        String first = estate.server("first", spare, 60, now);
        String second = estate.server("second", null, 60, now);
        String agent = estate.agent("agent", "automatic", first, List.of(first, second));

        JsonNode before = get("/api/agents/" + agent + "/chain").body();
        assertThat(before.path("target").asText()).isEqualTo(first);
        assertThat(before.path("chain").findValuesAsText("server")).containsExactly(first, second);

        estate.ping(first, now.minus(Duration.ofMinutes(5)));
        detector.pass(now);
        JsonNode after = get("/api/agents/" + agent + "/chain").body();
        assertThat(after.path("target").asText()).isEqualTo(second);
        assertThat(after.path("chain").get(0).path("status").asText()).isEqualTo("Down");
        assertThat(after.path("chain").get(0).path("failedOver").asBoolean()).isTrue();

        estate.ping(first, clock.instant());
        assertThat(get("/api/agents/" + agent + "/chain").body().path("target").asText())
                .as("until operators fail back, a returning server stays skipped").isEqualTo(second);
    }

    @Test
    void forwardingChainAnswersTheFirstLiveTargetBeforeAndAfterFailover() {
        String spare = estate.server("tt-spare", null, 60, now);
        String topA = estate.server("tt-a", spare, 60, now);
        String topB = estate.server("tt-b", null, 60, now);
        String manager = estate.server("ms", null, 60, now);

        Response put = put("/api/servers/" + manager + "/forwarding-chain", "{\"targets\":[\"" + topA + "\",\"" + topB + "\"]}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.body().path("target").asText()).isEqualTo(topA);

        estate.ping(topA, now.minus(Duration.ofMinutes(5)));
        detector.pass(now);

        JsonNode after = get("/api/servers/" + manager + "/forwarding-chain").body();
        assertThat(after.path("chain").findValuesAsText("server")).containsExactly(topA, topB);
        assertThat(after.path("target").asText()).isEqualTo(topB);
        assertThat(get("/api/servers/" + topA + "/failovers").body().get(0).path("standby").asText()).isEqualTo(spare);
    }

    @Test
    void badChainsAreRefusedNamingTheFieldAndChangeNothing() {
        String a = estate.server("a", null, 60, now);
        String b = estate.server("b", null, 60, now);
        String c = estate.server("c", null, 60, now);
        assertThat(put("/api/servers/" + a + "/forwarding-chain", "{\"targets\":[\"" + b + "\"]}").status()).isEqualTo(200);
        assertThat(put("/api/servers/" + b + "/forwarding-chain", "{\"targets\":[\"" + c + "\"]}").status()).isEqualTo(200);

        assertProblem(put("/api/servers/" + c + "/forwarding-chain", "{\"targets\":[\"" + a + "\"]}"), 400, "targets[0]");
        assertProblem(put("/api/servers/" + a + "/forwarding-chain", "{\"targets\":[\"" + c + "\",\"" + a + "\"]}"),
                400, "targets[1]");
        assertProblem(put("/api/servers/" + a + "/forwarding-chain", "{\"targets\":[\"" + c + "\",\"" + c + "\"]}"),
                400, "targets[1]");
        assertProblem(put("/api/servers/" + a + "/forwarding-chain", "{\"targets\":[\"" + c + "\",\"nobody-"
                + a + "\"]}"), 400, "targets[1]");
        assertProblem(put("/api/servers/" + a + "/forwarding-chain", "{\"targets\":[\"bad name\"]}"), 400, "targets[0]");
        assertProblem(put("/api/servers/" + a + "/forwarding-chain", "{}"), 400, "targets");
        assertProblem(put("/api/servers/nobody-" + a + "/forwarding-chain", "{\"targets\":[]}"), 404, "name");
        assertProblem(get("/api/servers/nobody-" + a + "/forwarding-chain"), 404, "name");
        assertProblem(get("/api/agents/nobody-" + a + "/chain"), 404, "name");
        assertProblem(get("/api/servers/nobody-" + a + "/failovers"), 404, "name");

        assertThat(get("/api/servers/" + a + "/forwarding-chain").body().path("chain").findValuesAsText("server"))
                .containsExactly(b);
        assertThat(get("/api/servers/" + c + "/forwarding-chain").body().path("chain").size()).isZero();
    }

    @Test
    void onlyEstateWritersChangeForwardingChains() {
        String a = estate.server("w-a", null, 60, now);
        String b = estate.server("w-b", null, 60, now);

        Response refused = send(request("/api/servers/" + a + "/forwarding-chain", "midadmin:midadmin")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"targets\":[\"" + b + "\"]}")));

        assertThat(refused.status()).isEqualTo(403);
        assertThat(get("/api/servers/" + a + "/forwarding-chain").body().path("chain").size()).isZero();
    }

    private record Response(int status, String contentType, JsonNode body) {
    }

    private static void assertProblem(Response response, int status, String field) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().path("field").asText()).as("field of %s", response).isEqualTo(field);
    }

    private Response get(String path) {
        return send(request(path, "operator:operator").GET());
    }

    private Response put(String path, String body) {
        return send(request(path, "operator:operator").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String path, String credentials) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
