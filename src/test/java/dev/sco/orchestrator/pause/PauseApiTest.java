package dev.sco.orchestrator.pause;

import static dev.sco.orchestrator.Api.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code /api/pauses}: validation, who may pause and end, one active pause per target, the list. */
@OrchestratorTest
class PauseApiTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;
    @Autowired
    RuntimeService runtime;
    @Autowired
    PauseService service;

    Api api;
    String server;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        server = Api.unique("pause-srv");
        jdbc.sql("insert into server (name, kind, unresponsive_period_seconds, last_ping_at) values (?, 'management', 180, ?)")
                .params(server, Timestamp.from(clock.instant())).update();
    }

    @Test
    void onlyDbasOperatorsAndAdministratorsPauseAndEnd() {
        assertThat(api.as(null).post("/api/pauses", body("server", server, in(Duration.ofHours(1)))).status())
                .isEqualTo(401);
        assertThat(api.as(null).get("/api/pauses").status()).isEqualTo(401);
        assertProblem(api.as(Api.MID_ADMIN).post("/api/pauses", body("server", server, in(Duration.ofHours(1)))),
                403, null);

        Api.Response byOperator = api.as(Api.OPERATOR).post("/api/pauses", body("server", server, in(Duration.ofHours(1))));
        assertThat(byOperator.status()).as("%s", byOperator).isEqualTo(201);
        long id = byOperator.body().path("id").asLong();
        assertThat(api.as(Api.MID_ADMIN).post("/api/pauses/" + id + "/end").status()).isEqualTo(403);
        assertThat(api.as(Api.DBA).post("/api/pauses/" + id + "/end").status()).isEqualTo(200);

        String other = Api.unique("pause-srv");
        jdbc.sql("insert into server (name, kind, unresponsive_period_seconds, last_ping_at) values (?, 'management', 180, ?)")
                .params(other, Timestamp.from(clock.instant())).update();
        Api.Response byDba = api.as(Api.DBA).post("/api/pauses", body("server", other, in(Duration.ofMinutes(30))));
        assertThat(byDba.status()).as("%s", byDba).isEqualTo(201);
        assertThat(byDba.text("pausedBy")).isEqualTo("dba");
        Api.Response byAdmin = api.as(Api.DEMO).post("/api/pauses/" + byDba.body().path("id").asLong() + "/end");
        assertThat(byAdmin.text("endedBy")).as("%s", byAdmin).isEqualTo("demo");
    }

    @Test
    void everyFieldIsCheckedAndTheRefusalNamesIt() {
        Api operator = api.as(Api.OPERATOR);
        assertProblem(operator.post("/api/pauses", body("cluster", server, in(Duration.ofHours(1)))), 400, "target.kind");
        assertProblem(operator.post("/api/pauses", body("server", "no-such-server", in(Duration.ofHours(1)))), 400,
                "target.name");
        assertProblem(operator.post("/api/pauses", body("database", server, in(Duration.ofHours(1)))), 400,
                "target.name");
        assertProblem(operator.post("/api/pauses", body("hub-pair", "bad name", in(Duration.ofHours(1)))), 400,
                "target.name");
        assertProblem(operator.post("/api/pauses", body("server", server, in(Duration.ofMinutes(-1)))), 400, "until");
        assertProblem(operator.post("/api/pauses", body("server", server, in(Duration.ofHours(8).plusMinutes(1)))), 400,
                "until");
        assertProblem(operator.post("/api/pauses", body("server", server, "tonight")), 400, "until");
        assertProblem(operator.post("/api/pauses", Api.json(Map.of("target", Map.of("kind", "server", "name", server),
                "until", in(Duration.ofHours(1))))), 400, "reason");
        assertProblem(operator.post("/api/pauses", Api.json(Map.of("target", Map.of("kind", "server", "name", server),
                "reason", "r", "until", in(Duration.ofHours(1)), "pausedBy", "someone-else"))), 400, "pausedBy");
        assertThat(pauses(server)).isZero();
    }

    @Test
    void oneActivePausePerTargetEndedEarlyIsRecordedAndListed() {
        Api.Response created = api.as(Api.OPERATOR).post("/api/pauses",
                body("server", server, in(Duration.ofHours(2))));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        long id = created.body().path("id").asLong();
        assertThat(created.text("state")).isEqualTo("active");
        assertThat(created.body().path("target").path("kind").asText()).isEqualTo("server");
        assertThat(created.text("pausedBy")).isEqualTo("operator");

        assertProblem(api.as(Api.DBA).post("/api/pauses", body("server", server, in(Duration.ofHours(1)))), 409,
                "target");
        assertThat(find(api.get("/api/pauses").body(), id).path("state").asText()).isEqualTo("active");

        Api.Response ended = api.as(Api.DBA).post("/api/pauses/" + id + "/end");
        assertThat(ended.status()).as("%s", ended).isEqualTo(200);
        assertThat(ended.text("state")).isEqualTo("ended");
        assertThat(ended.text("endKind")).isEqualTo("ended-early");
        assertThat(ended.text("endedBy")).isEqualTo("dba");
        assertThat(ended.text("endedAt")).isNotNull();
        assertThat(ended.body().path("unhealthyAtEnd").asBoolean(true)).isFalse();
        assertThat(ended.text("healthAtEnd")).startsWith("Up");
        assertThat(ended.body().has("reviewProcessInstanceId")).isFalse();

        assertProblem(api.as(Api.OPERATOR).post("/api/pauses/" + id + "/end"), 409, "id");
        assertProblem(api.get("/api/pauses/999999999"), 404, "id");
        assertThat(find(api.get("/api/pauses").body(), id).path("state").asText()).isEqualTo("ended");
        assertThat(api.get("/api/pauses/" + id).text("endedBy")).isEqualTo("dba");
        assertThat(api.get("/api/decisions?sensor=pause-watchdog&subject=" + server).body().path(0).path("reason")
                .asText()).contains("ended early by dba").contains("healthy");

        Api.Response again = api.as(Api.OPERATOR).post("/api/pauses", body("server", server, in(Duration.ofHours(1))));
        assertThat(again.status()).as("a new pause once the first has ended: %s", again).isEqualTo(201);
        api.as(Api.OPERATOR).post("/api/pauses/" + again.body().path("id").asLong() + "/end");
    }

    @Test
    void cancellingTheReviewEndsTheHoldAndSaysWho() {
        String silent = Api.unique("pause-srv");
        jdbc.sql("insert into server (name, kind) values (?, 'management')").param(silent).update();
        long id = api.as(Api.OPERATOR).post("/api/pauses", body("server", silent, in(Duration.ofHours(1)))).body()
                .path("id").asLong();
        JsonNode ended = api.as(Api.OPERATOR).post("/api/pauses/" + id + "/end").body();
        assertThat(ended.path("state").asText()).as("%s", ended).isEqualTo("awaiting-review");
        assertThat(ended.path("healthAtEnd").asText()).isEqualTo("Down: never sent a heartbeat");

        runtime.deleteProcessInstance(ended.path("reviewProcessInstanceId").asText(), "target decommissioned");

        JsonNode cancelled = api.get("/api/pauses/" + id).body();
        assertThat(cancelled.path("state").asText()).isEqualTo("ended");
        assertThat(cancelled.path("reviewState").asText()).isEqualTo("cancelled");
        assertThat(cancelled.path("reviewNote").asText()).contains("target decommissioned");
    }

    @Test
    void twoEndsAtOnceRecordTheEndOnceAndStartOneReview() throws Exception {
        String silent = Api.unique("pause-srv");
        jdbc.sql("insert into server (name, kind) values (?, 'management')").param(silent).update();
        long id = api.as(Api.OPERATOR).post("/api/pauses", body("server", silent, in(Duration.ofHours(1)))).body()
                .path("id").asLong();
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Instant at = clock.instant();
            Future<Optional<Pause>> watchdog = pool.submit(() -> {
                barrier.await();
                return service.end(id, "pause-watchdog", Pause.EXPIRED, at);
            });
            Future<Optional<Pause>> operator = pool.submit(() -> {
                barrier.await();
                return service.end(id, "operator", Pause.ENDED_EARLY, at);
            });
            assertThat(List.of(watchdog.get(), operator.get())).filteredOn(Optional::isPresent).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(runtime.createProcessInstanceQuery()
                .processInstanceBusinessKey(MaintenancePauseReviewProcess.businessKey(id)).count()).isOne();
        assertThat(api.get("/api/pauses/" + id).text("state")).isEqualTo("awaiting-review");
    }

    @Test
    void nobodyStartsTheReviewByHand() {
        String start = "/engine-rest/process-definition/key/" + MaintenancePauseReviewProcess.KEY + "/start";
        long before = runtime.createProcessInstanceQuery().processDefinitionKey(MaintenancePauseReviewProcess.KEY).count();
        assertThat(api.as(Api.DEMO).post(start, "{}").status()).isEqualTo(403);
        assertThat(api.as(Api.OPERATOR).post(start, "{}").status()).isEqualTo(403);
        assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(MaintenancePauseReviewProcess.KEY).count())
                .isEqualTo(before);
    }

    private long pauses(String target) {
        return jdbc.sql("select count(*) from maintenance_pause where target_name = ?").param(target)
                .query(Long.class).single();
    }

    private String in(Duration duration) {
        return clock.instant().plus(duration).toString();
    }

    static String body(String kind, String name, String until) {
        return Api.json(Map.of("target", Map.of("kind", kind, "name", name), "reason", "kernel patch, ticket CHG-1",
                "until", until));
    }

    static JsonNode find(JsonNode list, long id) {
        for (JsonNode pause : list) {
            if (pause.path("id").asLong() == id) {
                return pause;
            }
        }
        throw new AssertionError("pause " + id + " not listed in " + list);
    }

    static Instant instant(JsonNode node) {
        return Instant.parse(node.asText());
    }
}
