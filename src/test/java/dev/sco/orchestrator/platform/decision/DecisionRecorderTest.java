package dev.sco.orchestrator.platform.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import dev.sco.orchestrator.Api;
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
    void decisionsAreServedByTheApiAndBadFiltersAreRefused() {
        String sensor = "api-" + UUID.randomUUID().toString().substring(0, 8);
        recorder.record(new DecisionRecorder.Decision(sensor, "hub-pair", SensorDecision.SKIPPED, "acting hub alive",
                Instant.now(), null, null));
        Api api = new Api(port).as(Api.OPERATOR);

        Api.Response ok = api.get("/api/decisions?sensor=" + sensor);

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body().findValuesAsText("reason")).containsExactly("acting hub alive");
        Api.assertProblem(api.get("/api/decisions?limit=0"), 400, "limit");
    }
}
