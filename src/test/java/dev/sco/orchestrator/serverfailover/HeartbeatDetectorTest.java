package dev.sco.orchestrator.serverfailover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The heartbeat failure detector against real tables, driven at fixed times. */
@OrchestratorTest
class HeartbeatDetectorTest {

    @Autowired
    HeartbeatDetector detector;
    @Autowired
    OutageRepository outages;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RuntimeService runtime;
    @Autowired
    TaskService tasks;
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
    void findsTheDownServersAmongTenThousandInOnePass() {
        String standby = estate.server("standby", null, 180, now);
        String prefix = estate.name("fleet-");
        // 10,000 servers in one statement: every 1,000th stopped reporting ten minutes ago.
        jdbc.sql("""
                        INSERT INTO server (name, kind, standby, unresponsive_period_seconds, last_ping_at)
                        SELECT ? || lpad(i::text, 5, '0'), 'management', ?, 180,
                               CASE WHEN i % 1000 = 0 THEN ?::timestamptz - interval '10 minutes' ELSE ? END
                        FROM generate_series(1, 10000) AS i""")
                .params(prefix, standby, Estate.at(now), Estate.at(now)).update();

        HeartbeatDetector.Pass first = detector.pass(now.plusSeconds(60));
        assertThat(first.claimed()).isGreaterThanOrEqualTo(10);

        List<String> failed = jdbc.sql("SELECT server FROM server_outage WHERE server LIKE ? ORDER BY server")
                .param(prefix + "%").query(String.class).list();
        assertThat(failed).containsExactly(prefix + "01000", prefix + "02000", prefix + "03000", prefix + "04000",
                prefix + "05000", prefix + "06000", prefix + "07000", prefix + "08000", prefix + "09000",
                prefix + "10000");
        assertThat(first.started()).isGreaterThanOrEqualTo(10);
        for (String server : failed) {
            assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(ServerFailoverProcess.KEY)
                    .variableValueEquals(ServerFailoverProcess.VAR_SERVER, server).count()).isEqualTo(1);
            assertThat(estate.decisions(server)).singleElement().asString().startsWith("started: ")
                    .contains("failing over to " + standby);
        }

        detector.pass(now.plusSeconds(120));

        assertThat(jdbc.sql("SELECT count(*) FROM server_outage WHERE server LIKE ?").param(prefix + "%")
                .query(Long.class).single()).isEqualTo(10);
        // The fleet would go Down in every later test's pass: unwatch it (a server without heartbeat is not watched).
        jdbc.sql("UPDATE server SET last_ping_at = NULL WHERE name LIKE ?").param(prefix + "%").update();
    }

    @Test
    void closesSessionsOfDownServerOnly() {
        String down = estate.server("down", null, 60, now.minus(Duration.ofMinutes(5)));
        String up = estate.server("up", null, 60, now);
        long downSession = estate.session(down, now.minus(Duration.ofMinutes(6)));
        long upSession = estate.session(up, now.minus(Duration.ofMinutes(6)));

        detector.pass(now);

        assertThat(estate.sessionOpen(downSession)).isFalse();
        assertThat(estate.sessionOpen(upSession)).isTrue();
        assertThat(estate.outages(outages, down)).singleElement()
                .satisfies(outage -> assertThat(outage.sessionsClosed()).isEqualTo(1));
        assertThat(estate.outages(outages, up)).isEmpty();
    }

    /**
     * A server's sessions close at the first pass that sees it Down, not when the detector acts:
     * here the grace (30 s) delays the failover by a pass, and a cool-down would delay it by more.
     */
    @Test
    void sessionsOfADownServerCloseAtTheFirstPassThatSeesItDownEvenBeforeItIsFailedOver() {
        Instant lastPing = clock.instant();
        String server = estate.server("silent-now", null, 60, lastPing);
        long before = estate.session(server, lastPing.minusSeconds(30));
        long another = estate.session(server, lastPing.minusSeconds(10));

        clock.advance(Duration.ofSeconds(58));
        detector.pass();
        assertThat(estate.sessionOpen(before)).as("not Down yet").isTrue();

        clock.advance(Duration.ofSeconds(3));
        detector.pass();

        assertThat(estate.outages(outages, server)).as("within grace: no failover yet").isEmpty();
        assertThat(estate.sessionOpen(before)).isFalse();
        assertThat(estate.sessionOpen(another)).isFalse();
        assertThat(jdbc.sql("SELECT closed_reason FROM server_session WHERE id = ?").param(before)
                .query(String.class).single()).isEqualTo("server down");

        clock.advance(Duration.ofSeconds(35));
        detector.pass();

        assertThat(estate.outages(outages, server)).singleElement()
                .satisfies(outage -> assertThat(outage.sessionsClosed()).as("the sessions this outage closed")
                        .isEqualTo(2));
        assertThat(estate.decisions(server).get(estate.decisions(server).size() - 1)).contains("closed 2 open sessions");
    }

    @Test
    void flappingServerWithinGraceCausesNoFailover() {
        Instant lastPing = now.minus(Duration.ofMinutes(10));
        String flapping = estate.server("flapping", null, 60, lastPing);
        long session = estate.session(flapping, lastPing);

        detector.pass(lastPing.plusSeconds(70));
        estate.ping(flapping, lastPing.plusSeconds(80));
        detector.pass(lastPing.plusSeconds(100));
        detector.pass(lastPing.plusSeconds(130));

        assertThat(estate.outages(outages, flapping)).isEmpty();
        assertThat(estate.sessionOpen(session)).as("it was Down at the first pass: grace delays the failover only")
                .isFalse();
        assertThat(estate.decisions(flapping)).singleElement().asString()
                .startsWith("skipped: ").contains("within grace until " + lastPing.plusSeconds(90));
    }

    @Test
    void aDownServerPastGraceFailsOverOnce() {
        Instant lastPing = now.minus(Duration.ofMinutes(10));
        String server = estate.server("gone", null, 60, lastPing);

        detector.pass(lastPing.plusSeconds(70));
        detector.pass(lastPing.plusSeconds(95));
        detector.pass(lastPing.plusSeconds(155));

        assertThat(estate.outages(outages, server)).singleElement().satisfies(outage -> {
            assertThat(outage.outageStart()).isEqualTo(lastPing.plusSeconds(60));
            assertThat(outage.detectedAt()).isEqualTo(lastPing.plusSeconds(95));
            assertThat(outage.processInstanceId()).isNotNull();
        });
        assertThat(estate.decisions(server)).hasSize(2);
        assertThat(estate.decisions(server).get(1)).startsWith("started: ").contains("no standby");
    }

    @Test
    void neverReportedServerIsNotWatched() {
        String silent = estate.server("silent", null, 60, null);

        detector.pass(now);

        assertThat(estate.outages(outages, silent)).isEmpty();
        assertThat(estate.decisions(silent)).isEmpty();
    }

    @Test
    void aNewOutageWithinTheCoolDownStartsNoFailover() {
        Instant lastPing = now.minus(Duration.ofHours(2));
        String server = estate.server("cooling", null, 60, lastPing);
        detector.pass(lastPing.plusSeconds(120));
        Outage first = estate.outages(outages, server).get(0);
        tasks.complete(tasks.createTaskQuery().processInstanceId(first.processInstanceId()).singleResult().getId());
        assertThat(outages.find(first.id()).orElseThrow().endedAt()).isNotNull();

        estate.ping(server, lastPing.plusSeconds(200));
        detector.pass(lastPing.plusSeconds(300));

        assertThat(estate.outages(outages, server)).hasSize(1);
        assertThat(estate.decisions(server).get(1)).startsWith("skipped: ")
                .contains("cool-down after the failover of " + lastPing.plusSeconds(120));

        detector.pass(lastPing.plusSeconds(120).plus(Duration.ofMinutes(10)));

        assertThat(estate.outages(outages, server)).hasSize(2);
    }

    @Test
    void aNewOutageWhileTheLastFailoverRunsStartsNoSecondFailover() {
        Instant lastPing = now.minus(Duration.ofHours(2));
        String standby = estate.server("spare", null, 60, now);
        String server = estate.server("busy", standby, 60, lastPing);
        detector.pass(lastPing.plusSeconds(120));

        estate.ping(server, lastPing.plusSeconds(200));
        detector.pass(lastPing.plusSeconds(300).plus(Duration.ofMinutes(20)));

        assertThat(estate.outages(outages, server)).hasSize(1);
        assertThat(estate.decisions(server).get(1)).startsWith("skipped: ").contains("already failing over");
    }

    @Test
    void twoPassesAtOnceStartOneProcessPerOutage() throws Exception {
        Instant lastPing = now.minus(Duration.ofMinutes(10));
        String server = estate.server("contested", null, 60, lastPing);
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<HeartbeatDetector.Pass>> passes = pool.invokeAll(List.of(
                    () -> {
                        together.await();
                        return detector.pass(now);
                    },
                    () -> {
                        together.await();
                        return detector.pass(now);
                    }));
            for (Future<HeartbeatDetector.Pass> pass : passes) {
                pass.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(estate.outages(outages, server)).hasSize(1);
        assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(ServerFailoverProcess.KEY)
                .variableValueEquals(ServerFailoverProcess.VAR_SERVER, server).count()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM sensor_decision WHERE subject = ? AND action = 'started'")
                .param(server).query(Long.class).single()).isEqualTo(1);
    }
}
