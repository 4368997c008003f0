package dev.sco.orchestrator.platform.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@OrchestratorTest
class DecisionRecorderTest {

    @Autowired
    DecisionRecorder recorder;

    @LocalServerPort
    int port;

    @Test
    void decisionsToActAndToDoNothingAreBothKeptNewestFirst() {
        String sensor = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        recorder.recordAll(List.of(
                new DecisionRecorder.Decision(sensor, "srv-1", SensorDecision.SKIPPED, "within grace", now, null, null),
                new DecisionRecorder.Decision(sensor, "srv-2", SensorDecision.STARTED, "down since 10:00",
                        now.plusSeconds(1), "srv-2@10:00", "pi-1")));

        List<SensorDecision> recent = recorder.recent(sensor, null, 10);

        assertThat(recent).extracting(SensorDecision::subject).containsExactly("srv-2", "srv-1");
        assertThat(recent.get(1).reason()).isEqualTo("within grace");
        assertThat(recent.get(0).processInstanceId()).isEqualTo("pi-1");
        assertThat(recent.get(0).node()).isNotBlank();
    }

    @Test
    void decisionsAreServedByTheApiAndBadFiltersAreRefused() throws Exception {
        String sensor = "api-" + UUID.randomUUID().toString().substring(0, 8);
        recorder.record(new DecisionRecorder.Decision(sensor, "hub-pair", SensorDecision.SKIPPED, "acting hub alive",
                Instant.now(), null, null));

        HttpResponse<String> ok = get("/api/decisions?sensor=" + sensor);
        HttpResponse<String> bad = get("/api/decisions?limit=0");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("acting hub alive");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"limit\"");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString("operator:operator".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
