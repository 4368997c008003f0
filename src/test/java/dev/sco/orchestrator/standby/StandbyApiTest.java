package dev.sco.orchestrator.standby;

import static dev.sco.orchestrator.standby.Hubs.A;
import static dev.sco.orchestrator.standby.Hubs.B;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Where components connect, and refusals of bad input. */
@OrchestratorTest
class StandbyApiTest {

    @LocalServerPort
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    StandbyWatch watch;

    Hubs hubs;

    @BeforeEach
    void setUp() {
        hubs = new Hubs(port).create();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void componentThatReachedTheStandbyIsSentBackToTheLiveActingHub() {
        hubs.beat(B);
        hubs.beat(A);

        Hubs.Response viaStandby = hubs.connect(A);
        assertThat(viaStandby.text("connectTo")).isEqualTo(B);
        assertThat(viaStandby.body().path("redirect").asBoolean()).isTrue();
        assertThat(viaStandby.text("reason")).contains("standby");

        Hubs.Response viaActing = hubs.connect(B);
        assertThat(viaActing.text("connectTo")).isEqualTo(B);
        assertThat(viaActing.body().path("redirect").asBoolean()).isFalse();

        Hubs.Response fresh = hubs.connect(null);
        assertThat(fresh.text("connectTo")).isEqualTo(B);
        assertThat(fresh.body().path("order").get(0).asText()).isEqualTo(A);
        assertThat(fresh.body().path("order").get(1).asText()).isEqualTo(B);
    }

    @Test
    void withNoHubHeardComponentsTryThePrimaryFirst() {
        Hubs.Response answer = hubs.connect(B);

        assertThat(answer.text("connectTo")).isEqualTo(A);
        assertThat(answer.text("reason")).contains("primary first");
    }

    @Test
    void afterTakeoverTheReturningHubSendsComponentsToTheNewActingHub() {
        hubs.beat(A);
        hubs.beat(B);
        clock.advance(Duration.ofSeconds(20));
        hubs.beat(B);
        assertThat(hubs.connect(null).text("connectTo")).as("lost acting hub: the live standby").isEqualTo(B);
        watch.pass(clock.instant());

        hubs.beat(A);

        Hubs.Response viaReturned = hubs.connect(A);
        assertThat(viaReturned.text("connectTo")).isEqualTo(B);
        assertThat(viaReturned.body().path("redirect").asBoolean()).isTrue();
        assertThat(viaReturned.text("acting")).isEqualTo(B);
    }

    @Test
    void refusesUnknownHubsAndPairs() {
        assertProblem(hubs.connect("hub-z"), 404, "via");
        assertProblem(hubs.get("/api/hubs/no-such-pair-x1/connect"), 404, "pair");
        assertProblem(hubs.get("/api/hubs/no-such-pair-x1/standby"), 404, "pair");
        assertProblem(hubs.define("hub-z", "cpu", "situation", "x"), 404, "hub");
        assertProblem(hubs.get("/api/hubs/" + hubs.pair + "/hub-z/definitions"), 404, "hub");
        assertProblem(hubs.get("/api/hubs/no-such-pair-x1/events"), 404, "pair");
        assertProblem(hubs.post("/api/hubs/" + hubs.pair + "/situations/none/evaluated"), 404, "name");
    }

    @Test
    void refusesInvalidPeriodsAndValuesNamingTheField() {
        assertProblem(hubs.put("/api/hubs/" + hubs.pair, Map.of("primary", A, "secondary", B,
                "heartbeatTimeoutSeconds", 0)), 400, "heartbeatTimeoutSeconds");
        assertProblem(hubs.put("/api/hubs/" + hubs.pair, Map.of("primary", A, "secondary", B,
                "heartbeatTimeoutSeconds", 3601)), 400, "heartbeatTimeoutSeconds");
        assertProblem(hubs.put("/api/hubs/" + hubs.pair, Map.of("primary", A, "secondary", B,
                "heartbeatTimeoutSeconds", "15")), 400, "heartbeatTimeoutSeconds");
        assertThat(hubs.standby().body().path("heartbeatTimeoutSeconds").asInt()).as("refused PUT changed nothing")
                .isEqualTo(15);

        assertProblem(hubs.connect("bad%20name"), 400, "via");
        hubs.beat(A);
        assertProblem(hubs.define(A, "cpu", "rule", "x"), 400, "kind");
        assertProblem(hubs.put("/api/hubs/" + hubs.pair + "/" + A + "/definitions/cpu", Map.of("kind", "situation")),
                400, "definition");
        assertProblem(hubs.policy("p", "paused", 1), 400, "state");
        assertProblem(hubs.policy("p", "running", -1), 400, "step");
        assertProblem(hubs.get("/api/hubs/" + hubs.pair + "/events?limit=0"), 400, "limit");
        hubs.beat(B);
        assertProblem(hubs.define(B, "cpu", "situation", "x"), 409, "hub");
        assertThat(hubs.definitions(A)).isEmpty();
        assertThat(hubs.definitions(B)).isEmpty();
    }

    @Test
    void unchangedDefinitionKeepsItsVersion() {
        hubs.beat(A);
        long first = hubs.define(A, "cpu", "situation", "cpu > 90").body().path("version").asLong();
        long same = hubs.define(A, "cpu", "situation", "cpu > 90").body().path("version").asLong();
        long changed = hubs.define(A, "cpu", "situation", "cpu > 80").body().path("version").asLong();

        assertThat(same).isEqualTo(first);
        assertThat(changed).isGreaterThan(first);
    }

    private static void assertProblem(Hubs.Response response, int status, String field) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.field()).as("field of %s", response).isEqualTo(field);
    }
}
