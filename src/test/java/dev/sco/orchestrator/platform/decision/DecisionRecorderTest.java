package dev.sco.orchestrator.platform.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@OrchestratorTest
class DecisionRecorderTest {

    @Autowired
    DecisionRecorder recorder;

    @Autowired
    PlatformTransactionManager transactionManager;

    @LocalServerPort
    int port;

    /**
     * Two passes of one sensor overlapping (a background pass and one asked for by hand, or two
     * nodes): the second waits for the first one's transaction and counts on its row, instead of
     * missing the uncommitted row and splitting one run of repeats into two records.
     */
    @Test
    void overlappingPassesOfOneSensorCountOnOneRecord() throws Exception {
        String sensor = "overlap-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        DecisionRecorder.Decision paused = new DecisionRecorder.Decision(sensor, "db-1", SensorDecision.PAUSED,
                "maintenance pause; last probe unreachable", now, null, null);
        CountDownLatch recorded = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> new TransactionTemplate(transactionManager)
                .executeWithoutResult(status -> {
                    recorder.record(paused);
                    recorded.countDown();
                    await(release);
                }));
        assertThat(recorded.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> recorder.record(paused));

        // The second write waits while the first transaction is open...
        assertThat(second).as("waits for the first pass's transaction").isNotDone();
        assertThat(waitFor(second, 500)).isFalse();
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);

        // ...and then sees its row: one record, counted twice.
        assertThat(recorder.recent(sensor, "db-1", 10)).singleElement()
                .extracting(SensorDecision::count).isEqualTo(2);
    }

    private static boolean waitFor(CompletableFuture<Void> future, long millis) throws Exception {
        try {
            future.get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

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
