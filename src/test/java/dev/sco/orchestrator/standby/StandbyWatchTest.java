package dev.sco.orchestrator.standby;

import static dev.sco.orchestrator.standby.Hubs.A;
import static dev.sco.orchestrator.standby.Hubs.B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Roles of a hub pair and the standby watch. The watch also runs every 5 s in the background
 * (Quartz), so the tests assert the state a pass leaves, not which pass got there first.
 */
@OrchestratorTest
class StandbyWatchTest {

    @LocalServerPort
    int port;
    @Autowired
    StandbyWatch watch;
    @Autowired
    MutableClock clock;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RuntimeService runtime;

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
    void firstHubToStartIsActingAndTheOneStartingLaterIsStandby() {
        hubs.beat(B);
        hubs.beat(A);
        watch.pass(clock.instant());

        assertThat(hubs.pairState().text("acting")).isEqualTo(B);
        assertThat(hubs.pairState().text("standby")).isEqualTo(A);
        assertThat(hubs.pairState().text("primary")).isEqualTo(A);
        assertThat(hubs.standby().text("standbyState")).isEqualTo("ready");
        assertThat(takeovers()).isZero();
    }

    @Test
    void databaseRefusesAPairWithoutActingHubOnceAHubWasHeard() {
        hubs.beat(A);

        assertThatThrownBy(() -> jdbc.sql("update hub_pair set acting_hub = null where name = ?").param(hubs.pair)
                .update()).isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql("update hub_pair set acting_hub = 'hub-b' where name = ?").param(hubs.pair)
                .update()).as("hub-b was never heard from").isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql("update hub_pair set acting_hub = 'hub-z' where name = ?").param(hubs.pair)
                .update()).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(hubs.pairState().text("acting")).isEqualTo(A);
    }

    @Test
    void reconfiguringAwayTheActingHubHandsTheRoleToTheHeardStandby() {
        hubs.beat(A);
        hubs.beat(B);

        Hubs.Response moved = hubs.put("/api/hubs/" + hubs.pair,
                java.util.Map.of("primary", B, "secondary", "hub-c"));

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.text("acting")).isEqualTo(B);
        assertThat(moved.body().path("heartbeatTimeoutSeconds").asInt()).isEqualTo(15);
    }

    @Test
    void standbyCopiesChangedDefinitionsOfTheActingHub() {
        hubs.beat(A);
        hubs.beat(B);
        hubs.define(A, "cpu-high", "situation", "cpu > 90");
        hubs.define(A, "disk-full", "situation", "disk > 95");
        watch.pass(clock.instant());
        assertThat(versions(B)).isEqualTo(versions(A)).hasSize(2);

        hubs.define(A, "cpu-high", "situation", "cpu > 80");
        jdbc.sql("delete from hub_definition where pair = ? and hub = ? and name = 'disk-full'")
                .params(hubs.pair, A).update();
        watch.pass(clock.instant());

        assertThat(versions(B)).isEqualTo(versions(A)).hasSize(1);
        assertThat(hubs.definitions(B).get(0).path("definition").asText()).isEqualTo("cpu > 80");
    }

    @Test
    void standbyTakesOverWhenTheActingHubIsLost() {
        hubs.beat(A);
        hubs.beat(B);
        watch.pass(clock.instant());

        clock.advance(Duration.ofSeconds(10));
        hubs.beat(B);
        watch.pass(clock.instant());
        assertThat(hubs.pairState().text("acting")).as("10 s of silence is within the timeout").isEqualTo(A);

        clock.advance(Duration.ofSeconds(10));
        hubs.beat(B);
        watch.pass(clock.instant());

        assertThat(hubs.pairState().text("acting")).isEqualTo(B);
        assertThat(hubs.pairState().text("standby")).isEqualTo(A);
        assertThat(takeovers()).isOne();
        String key = jdbc.sql("select business_key from hub_takeover where pair = ?").param(hubs.pair)
                .query(String.class).single();
        assertThat(key).startsWith(hubs.pair + "@");
        assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(HubTakeoverProcess.KEY)
                .processInstanceBusinessKey(key).count()).isOne();
        assertThat(jdbc.sql("select count(*) from sensor_decision where sensor = ? and subject = ? and action = "
                        + "'started' and business_key = ?").params(StandbyWatch.SENSOR, hubs.pair, key)
                .query(Long.class).single()).isOne();
        assertThat(hubs.standby().text("standbyState")).isEqualTo("lost");
    }

    @Test
    void recordsADecisionForEveryPairAlsoWhenNothingHappens() {
        Instant now = clock.instant();
        var decided = watch.pass(now);

        assertThat(decided).anySatisfy(d -> {
            assertThat(d.subject()).isEqualTo(hubs.pair);
            assertThat(d.action()).isEqualTo("skipped");
            assertThat(d.reason()).contains("no hub has sent a heartbeat");
        });
        assertThat(jdbc.sql("select count(*) from sensor_decision where sensor = ? and subject = ?")
                .params(StandbyWatch.SENSOR, hubs.pair).query(Long.class).single()).isPositive();
    }

    @Test
    void noStandbyToPromoteWhenBothHubsAreLost() {
        hubs.beat(A);
        hubs.beat(B);
        clock.advance(Duration.ofSeconds(30));

        var decided = watch.pass(clock.instant());

        assertThat(decided).filteredOn(d -> d.subject().equals(hubs.pair)).singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("both lost"));
        assertThat(hubs.pairState().text("acting")).isEqualTo(A);
        assertThat(takeovers()).isZero();
    }

    @Test
    void returningHubBecomesStandbyAndResynchronisesWithoutFailback() {
        hubs.beat(A);
        hubs.beat(B);
        hubs.define(A, "cpu-high", "situation", "cpu > 90");
        watch.pass(clock.instant());
        clock.advance(Duration.ofSeconds(20));
        hubs.beat(B);
        watch.pass(clock.instant());
        assertThat(hubs.pairState().text("acting")).isEqualTo(B);

        hubs.define(B, "cpu-high", "situation", "cpu > 70");
        hubs.define(B, "mem-low", "situation", "free < 5%");
        assertThat(hubs.define(A, "cpu-high", "situation", "cpu > 99").status())
                .as("the lost hub is no longer acting").isEqualTo(409);

        clock.advance(Duration.ofSeconds(5));
        hubs.beat(A);
        hubs.beat(B);
        watch.pass(clock.instant());

        assertThat(hubs.pairState().text("acting")).as("no automatic failback").isEqualTo(B);
        assertThat(hubs.pairState().text("standby")).isEqualTo(A);
        assertThat(versions(A)).isEqualTo(versions(B)).hasSize(2);
        assertThat(hubs.standby().text("standbyState")).isEqualTo("ready");
        assertThat(takeovers()).isOne();

        clock.advance(Duration.ofSeconds(5));
        hubs.beat(A);
        watch.pass(clock.instant());
        assertThat(hubs.pairState().text("acting")).as("B is alive: A stays standby").isEqualTo(B);
    }

    @Test
    void concurrentPassesPromoteOnceAndStartOneTakeover() throws Exception {
        hubs.beat(A);
        hubs.beat(B);
        clock.advance(Duration.ofSeconds(20));
        hubs.beat(B);
        Instant now = clock.instant();

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CyclicBarrier start = new CyclicBarrier(4);
            List<CompletableFuture<Void>> passes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                passes.add(CompletableFuture.runAsync(() -> {
                    await(start);
                    watch.pass(now);
                }, pool));
            }
            CompletableFuture.allOf(passes.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdownNow();
        }

        assertThat(takeovers()).isOne();
        assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(HubTakeoverProcess.KEY)
                .variableValueEquals(HubTakeoverProcess.VAR_PAIR, hubs.pair).count()).isOne();
        assertThat(hubs.pairState().text("acting")).isEqualTo(B);
    }

    private List<String> versions(String hub) {
        List<String> versions = new ArrayList<>();
        for (JsonNode definition : hubs.definitions(hub)) {
            versions.add(definition.path("name").asText() + "@" + definition.path("version").asLong());
        }
        return versions;
    }

    private long takeovers() {
        return jdbc.sql("select count(*) from hub_takeover where pair = ?").param(hubs.pair).query(Long.class).single();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
