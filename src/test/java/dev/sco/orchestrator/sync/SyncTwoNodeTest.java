package dev.sco.orchestrator.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sco.orchestrator.ClusterNode;
import dev.sco.orchestrator.PairTablesSql;
import dev.sco.orchestrator.platform.demo.SampleDataGenerator;
import dev.sco.orchestrator.platform.demo.SampleSchema;
import dev.sco.orchestrator.platform.target.ScriptRunner;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The is-running flag of a pair across two real orchestrator nodes on one orchestrator database:
 * while a run of node A holds it, node B refuses to start one and names node A's run; once that
 * run ends node B runs; and two nodes asked at once start one run between them.
 * <p>
 * Node A's run is held by the test: it locks the first table the run writes on the failover side,
 * so the copy waits on that lock until the test lets it go.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncTwoNodeTest {

    private static final String PRIMARY = "sync-p-two-node";
    private static final String FAILOVER = "sync-f-two-node";
    /** The first table of a run (non-referenced: emptied on the failover side before the copy). */
    private static final String FIRST_TABLE = "monitored." + SampleSchema.TABLES.get(0).name();
    private static final String CREDENTIALS = ClusterNode.ADMIN + ":" + ClusterNode.ADMIN_PASSWORD;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private EmbeddedPostgres orchestrator;
    private EmbeddedPostgres primaryServer;
    private EmbeddedPostgres failoverServer;
    private ConfigurableApplicationContext nodeA;
    private ConfigurableApplicationContext nodeB;

    @BeforeAll
    void startServersAndTwoNodes() {
        CompletableFuture<EmbeddedPostgres> orchestratorStart = CompletableFuture.supplyAsync(SyncTwoNodeTest::startServer);
        CompletableFuture<EmbeddedPostgres> primaryStart = CompletableFuture.supplyAsync(SyncTwoNodeTest::startServer);
        CompletableFuture<EmbeddedPostgres> failoverStart = CompletableFuture.supplyAsync(SyncTwoNodeTest::startServer);
        orchestrator = orchestratorStart.join();
        primaryServer = primaryStart.join();
        failoverServer = failoverStart.join();
        nodeA = startNode("node-a");
        nodeB = startNode("node-b");
        registerPair();
    }

    @AfterAll
    void stopNodesAndServers() throws IOException {
        // Node A first: the Quartz registry holds the data source of the node started last (B), which
        // both schedulers use; closing B first would leave A's scheduler on a closed pool until it stops.
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
        for (EmbeddedPostgres server : List.of(orchestrator, primaryServer, failoverServer)) {
            if (server != null) {
                server.close();
            }
        }
    }

    private static EmbeddedPostgres startServer() {
        try {
            return EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ConfigurableApplicationContext startNode(String name) {
        return ClusterNode.start(orchestrator, name, "sync-two-node-cluster", Map.of(
                // Runs start only when the test asks, at any time of day.
                "orchestrator.sync.schedule", "false",
                "orchestrator.sync.window-minutes", "0",
                "orchestrator.server-failover.detector-interval", "1h",
                "camunda.bpm.job-execution.enabled", "false",
                // A lock far shorter than the copy: only its extension keeps the other node away.
                "orchestrator.long-steps.lock", "2s",
                "orchestrator.long-steps.poll", "300ms"));
    }

    /** A primary with sample data and a failover sync target, each on its own server, registered once for both nodes. */
    private void registerPair() {
        JdbcClient endpoints = JdbcClient.create(orchestrator.getPostgresDatabase());
        for (String[] endpoint : List.of(
                // Plain URLs: the zonky URL carries ?user=, a parameter a target URL may not have.
                new String[] {PRIMARY, "jdbc:postgresql://localhost:" + primaryServer.getPort() + "/postgres", "primary",
                        FAILOVER},
                new String[] {FAILOVER, "jdbc:postgresql://localhost:" + failoverServer.getPort() + "/postgres",
                        "failover", PRIMARY})) {
            endpoints.sql("""
                            insert into database_endpoint (name, jdbc_url, username, role, paired_with)
                            values (:name, :url, 'postgres', :role, :paired)""")
                    .param("name", endpoint[0]).param("url", endpoint[1]).param("role", endpoint[2])
                    .param("paired", endpoint[3]).update();
        }
        TargetDatabases targets = nodeA.getBean(TargetDatabases.class);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        SampleSchema.install(targets.dataSource(PRIMARY), PRIMARY);
        SampleSchema.ensurePartitions(targets.dataSource(PRIMARY), today.minusDays(3), today.plusDays(3));
        SampleDataGenerator.generate(targets.dataSource(PRIMARY), Instant.now(), 40, 60, 2);
        SampleSchema.install(targets.dataSource(FAILOVER), FAILOVER);
        nodeA.getBean(ScriptRunner.class).run(FAILOVER, "make-sync-target", Map.of("schema", "monitored"), false);
        PairTablesSql.register(endpoints, PRIMARY, SampleSchema.tableList());
    }

    @Test
    @Order(1)
    void nodeBIsRefusedWhileNodeARunsAndRunsOnceItEnded() throws Exception {
        long runA;
        try (Connection hold = holdFirstTable()) {
            HttpResponse<String> started = post(nodeA);
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            runA = json.readTree(started.body()).get("runId").asLong();
            assertThat(json.readTree(started.body()).get("node").asText()).isEqualTo(node(nodeA));
            awaitCopyWaitingOnTheLock();

            HttpResponse<String> refused = post(nodeB);

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(refused.body()).contains("Run " + runA + " of '" + PRIMARY + "'")
                    .contains("is running on " + node(nodeA)).contains("\"field\":\"database\"");
            JsonNode running = runs(nodeB).get("running");
            assertThat(running.get("runId").asLong()).isEqualTo(runA);
            assertThat(running.get("node").asText()).isEqualTo(node(nodeA));
            // The refused attempt left nothing in the run log.
            assertThat(repository(nodeB).runs(PRIMARY, 10)).extracting(SyncRepository.Run::id).containsExactly(runA);
            hold.rollback();
        }
        awaitNoRunHoldsTheFlag();
        assertThat(repository(nodeB).runs(PRIMARY, 1).get(0).result()).isEqualTo("succeeded");

        HttpResponse<String> startedOnB = post(nodeB);

        assertThat(startedOnB.statusCode()).as(startedOnB.body()).isEqualTo(202);
        long runB = json.readTree(startedOnB.body()).get("runId").asLong();
        awaitNoRunHoldsTheFlag();
        List<SyncRepository.Run> log = repository(nodeA).runs(PRIMARY, 10);
        assertThat(log).extracting(SyncRepository.Run::id).containsExactly(runB, runA);
        assertThat(log).extracting(SyncRepository.Run::node).containsExactly(node(nodeB), node(nodeA));
        assertThat(log).extracting(SyncRepository.Run::result).containsOnly("succeeded");
    }

    @Test
    @Order(2)
    void twoNodesAskedAtOnceStartOneRunBetweenThem() throws Exception {
        // Starts from a free pair, whatever the test before left running.
        awaitNoRunHoldsTheFlag();
        long lastRun = repository(nodeA).runs(PRIMARY, 1).stream().mapToLong(SyncRepository.Run::id).max().orElse(0);
        List<HttpResponse<String>> answers = new ArrayList<>();
        // The winner's copy waits on the lock, so it still holds the flag when the other node asks.
        try (Connection hold = holdFirstTable()) {
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService callers = Executors.newFixedThreadPool(2);
            try {
                List<Future<HttpResponse<String>>> calls = new ArrayList<>();
                for (ConfigurableApplicationContext node : List.of(nodeA, nodeB)) {
                    calls.add(callers.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        return post(node);
                    }));
                }
                for (Future<HttpResponse<String>> call : calls) {
                    answers.add(call.get(30, TimeUnit.SECONDS));
                }
            } finally {
                callers.shutdownNow();
            }
            awaitCopyWaitingOnTheLock();
            hold.rollback();
        }

        assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(202, 409);
        HttpResponse<String> won = answers.stream().filter(a -> a.statusCode() == 202).findFirst().orElseThrow();
        HttpResponse<String> lost = answers.stream().filter(a -> a.statusCode() == 409).findFirst().orElseThrow();
        long run = json.readTree(won.body()).get("runId").asLong();
        String winner = json.readTree(won.body()).get("node").asText();
        assertThat(lost.body()).contains("Run " + run + " of '" + PRIMARY + "' is running on " + winner);
        awaitNoRunHoldsTheFlag();
        List<SyncRepository.Run> newRuns = repository(nodeB).runs(PRIMARY, 10).stream()
                .filter(r -> r.id() > lastRun).toList();
        assertThat(newRuns).extracting(SyncRepository.Run::id).containsExactly(run);
        assertThat(newRuns.get(0).node()).isEqualTo(winner);
        assertThat(newRuns.get(0).result()).isEqualTo("succeeded");
    }

    /**
     * A full resynchronisation is a long step: with a lock of 2 s, a copy held for three times
     * that long still runs exactly once across the two nodes, because the node working it keeps
     * extending the lock; the other node never starts a second copy.
     */
    @Test
    @Order(3)
    void aFullResyncLongerThanItsLockRunsOnceAcrossTwoNodes() throws Exception {
        awaitNoRunHoldsTheFlag();
        long lastRun = repository(nodeA).runs(PRIMARY, 1).stream().mapToLong(SyncRepository.Run::id).max().orElse(0);
        repository(nodeA).stop(PRIMARY, "three failed runs (test)", Instant.now());
        ProcessEngine engine = nodeA.getBean(ProcessEngine.class);
        String recovery = engine.getRuntimeService().startProcessInstanceByKey(SyncRecoveryProcess.KEY, PRIMARY,
                Map.of(SyncRecoveryProcess.VAR_DATABASE, PRIMARY, SyncRecoveryProcess.VAR_FAILOVER, FAILOVER,
                        SyncRecoveryProcess.VAR_FAILURES, "test")).getId();
        try (Connection hold = holdFirstTable()) {
            engine.getIdentityService().setAuthentication(ClusterNode.ADMIN, List.of("camunda-admin"));
            try {
                engine.getTaskService().complete(engine.getTaskService().createTaskQuery()
                        .processInstanceId(recovery).singleResult().getId(), Map.of("approved", true));
            } finally {
                engine.getIdentityService().clearAuthentication();
            }
            awaitCopyWaitingOnTheLock();

            // Three lock times later the copy still waits, still the only one, on the node that locked it.
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() ->
                    fullRunsSince(lastRun) == 1 && lockedBy(engine, recovery) != null);
            hold.rollback();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> engine.getExternalTaskService().createExternalTaskQuery()
                .processInstanceId(recovery).count() == 0);

        assertThat(fullRunsSince(lastRun)).isEqualTo(1);
        assertThat(repository(nodeB).runs(PRIMARY, 1).get(0).result()).isEqualTo("succeeded");
        assertThat(engine.getHistoryService().createHistoricExternalTaskLogQuery().processInstanceId(recovery)
                .failureLog().count()).as("no second attempt failed on the held flag").isZero();
        assertThat(engine.getHistoryService().createHistoricExternalTaskLogQuery().processInstanceId(recovery)
                .successLog().count()).isEqualTo(1);
        engine.getRuntimeService().deleteProcessInstance(recovery, "test over");
        repository(nodeA).resume(PRIMARY);
    }

    private long fullRunsSince(long lastRun) {
        return repository(nodeA).runs(PRIMARY, 20).stream().filter(r -> r.id() > lastRun)
                .filter(r -> "full".equals(r.kind())).count();
    }

    private static String lockedBy(ProcessEngine engine, String processInstanceId) {
        var task = engine.getExternalTaskService().createExternalTaskQuery().processInstanceId(processInstanceId)
                .singleResult();
        return task == null || task.getLockExpirationTime() == null
                || task.getLockExpirationTime().before(new java.util.Date()) ? null : task.getWorkerId();
    }

    /** A failover-side transaction holding the first table, so a run's copy into it waits. */
    private Connection holdFirstTable() throws Exception {
        Connection connection = failoverServer.getPostgresDatabase().getConnection();
        connection.setAutoCommit(false);
        try (Statement lock = connection.createStatement()) {
            lock.execute("lock table " + FIRST_TABLE + " in access exclusive mode");
        }
        return connection;
    }

    /** Until a session other than the test's waits for the lock on the first table (the run's copy). */
    private void awaitCopyWaitingOnTheLock() {
        JdbcClient failover = JdbcClient.create(failoverServer.getPostgresDatabase());
        await().atMost(Duration.ofSeconds(20)).until(() -> failover.sql(
                        "select count(*) from pg_locks where relation = cast(:table as regclass) and not granted")
                .param("table", FIRST_TABLE).query(Long.class).single() > 0);
    }

    private void awaitNoRunHoldsTheFlag() {
        await().atMost(Duration.ofSeconds(20)).until(() ->
                repository(nodeA).state(PRIMARY).filter(SyncRepository.State::running).isEmpty());
    }

    private static SyncRepository repository(ConfigurableApplicationContext node) {
        return node.getBean(SyncRepository.class);
    }

    private static String node(ConfigurableApplicationContext node) {
        return node.getBean(SyncService.class).node();
    }

    private JsonNode runs(ConfigurableApplicationContext node) throws Exception {
        HttpResponse<String> response = http.send(request(node, "/api/sync/" + PRIMARY + "/runs").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** Asks the node, over its own port, to start a run of the pair. */
    private HttpResponse<String> post(ConfigurableApplicationContext node) throws Exception {
        return http.send(request(node, "/api/sync/" + PRIMARY + "/runs").POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(ConfigurableApplicationContext node, String path) {
        int port = node.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(CREDENTIALS.getBytes(StandardCharsets.UTF_8)));
    }
}
