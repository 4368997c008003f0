package dev.sco.orchestrator.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.decision.DecisionRecorder;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Health reports target databases from the probe sensor's last result, never by connecting; a
 * refused probe (a running server turning the probe away) never starts a failover.
 */
@OrchestratorTest
class TargetsHealthTest {

    private static final String PRIMARY = "demo-primary";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TargetDatabases targets;
    @Autowired
    DatabaseHealthProbe probe;
    @Autowired
    MeterRegistry meters;

    @Test
    void anonymousHealthAnswersTheStatusOnly() {
        probe.pass();
        Api anonymous = new Api(port).as(null);

        Api.Response overall = anonymous.get("/actuator/health");
        assertThat(overall.status()).isEqualTo(200);
        assertThat(overall.text("status")).isEqualTo("UP");
        assertThat(overall.body().has("components")).isFalse();
        assertThat(overall.body().toString()).doesNotContain("targets").doesNotContain("error").doesNotContain(PRIMARY);

        Api.Response group = anonymous.get("/actuator/health/targets");
        assertThat(group.body().has("status")).isTrue();
        assertThat(group.body().has("components")).isFalse();
        assertThat(group.body().toString()).doesNotContain(PRIMARY).doesNotContain("error");

        assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(new Api(port).as("demo:wrong").get("/actuator/health").status()).isEqualTo(401);
    }

    @Test
    void authenticatedHealthShowsTargetsInTheirOwnGroupOnly() {
        probe.pass();
        Api demo = new Api(port);

        Api.Response overall = demo.get("/actuator/health");
        assertThat(overall.body().path("components").has("db")).as("%s", overall).isTrue();
        assertThat(overall.body().path("components").has("targets")).isFalse();

        Api.Response group = demo.get("/actuator/health/targets");
        assertThat(group.body().path("components").path("targets").path("components").path(PRIMARY)
                .path("details").path("classification").asText()).as("%s", group).isEqualTo("reachable");
    }

    @Test
    void aHealthFloodOpensNoConnectionToATargetAndStartsNoFailover() throws Exception {
        probe.pass();
        long failoversBefore = failovers();
        int poolSize = 4; // ORCHESTRATOR_TARGET_POOL_SIZE default
        AtomicInteger most = new AtomicInteger();
        AtomicBoolean flooding = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            Future<?> watcher = pool.submit(() -> {
                while (flooding.get()) {
                    most.accumulateAndGet(connectionsOn(PRIMARY), Math::max);
                }
            });
            List<Future<Integer>> floods = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Api api = t % 2 == 0 ? new Api(port).as(null) : new Api(port);
                String path = t % 4 < 2 ? "/actuator/health" : "/actuator/health/targets";
                floods.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 50; i++) {
                        int status = api.send(api.request(path).GET()).status();
                        ok += status == 200 || status == 503 ? 1 : 0;
                    }
                    return ok;
                }));
            }
            for (Future<Integer> flood : floods) {
                assertThat(flood.get()).isEqualTo(50);
            }
            flooding.set(false);
            watcher.get();
        } finally {
            flooding.set(false);
            pool.shutdownNow();
        }
        assertThat(most.get()).as("connections of the orchestrator on %s during the flood", PRIMARY)
                .isLessThanOrEqualTo(poolSize);

        List<DecisionRecorder.Decision> made = probe.pass();
        assertThat(made).noneMatch(d -> d.action().equals(SensorDecision.STARTED));
        assertThat(failovers()).isEqualTo(failoversBefore);
    }

    @Test
    void aPrimaryThatRefusesConnectionsIsRefusedNotUnreachableAndIsNeverFailedOver() {
        String name = Api.unique("refusing");
        String role = name.replace('-', '_');
        String url = jdbc.sql("select jdbc_url from database_endpoint where name = ?").param(PRIMARY)
                .query(String.class).single();
        JdbcClient server = targets.jdbc(PRIMARY);
        // A role whose connection slots are used up: the server answers 53300 too_many_connections.
        server.sql("create role " + role + " login connection limit 0").update();
        jdbc.sql("""
                insert into database_endpoint (name, jdbc_url, username, role, paired_with)
                values (?, ?, ?, 'primary', 'demo-failover')""").params(name, url, role).update();
        try {
            for (int i = 0; i < 5; i++) {
                probe.pass();
            }

            // Read from the table: the Quartz-run sensor may have made the same pass meanwhile.
            List<String> decided = jdbc.sql("select action || ': ' || reason from sensor_decision where subject = ?")
                    .param(name).query(String.class).list();
            assertThat(decided).isNotEmpty().allSatisfy(decision -> assertThat(decision)
                    .startsWith(SensorDecision.SKIPPED).contains("refused").contains("53300"));
            assertThat(jdbc.sql("""
                    select last_classification || ' ' || consecutive_failures from database_probe_state
                    where database = ?""").param(name).query(String.class).single()).isEqualTo("refused 0");
            assertThat(jdbc.sql("select count(*) from continuity_operation where database = ?").param(name)
                    .query(Long.class).single()).isZero();
            assertThat(meters.get(DatabaseHealthProbe.REFUSED_GAUGE).gauge().value()).isGreaterThanOrEqualTo(1.0);

            Api.Response health = new Api(port).get("/actuator/health/targets");
            var target = health.body().path("components").path("targets").path("components").path(name);
            assertThat(target.path("status").asText()).as("%s", health).isEqualTo("DOWN");
            assertThat(target.path("details").path("classification").asText()).isEqualTo("refused");
        } finally {
            jdbc.sql("delete from sensor_decision where subject = ?").param(name).update();
            jdbc.sql("delete from database_endpoint where name = ?").param(name).update();
            server.sql("drop role " + role).update();
        }
    }

    /**
     * Failovers of the flooded primary. Not of every database: the context is shared, and another
     * test's estate may be failed over by its own (background) sensors meanwhile.
     */
    private long failovers() {
        return jdbc.sql("select count(*) from continuity_operation where kind = 'failover' and database = ?")
                .param(PRIMARY).query(Long.class).single();
    }

    private int connectionsOn(String database) {
        return targets.jdbc(database).sql("select count(*) from pg_stat_activity where application_name = ?")
                .param(TargetDatabases.APPLICATION_NAME).query(Integer.class).single();
    }
}
