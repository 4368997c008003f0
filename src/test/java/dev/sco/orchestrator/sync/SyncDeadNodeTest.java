package dev.sco.orchestrator.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A node killed during a sync run (ChaosIT scenario 2 found this): its run held the pair's flag,
 * and every later run of the pair, scheduled or manual, was refused until someone reset it by hand
 * after the stale period (30 min). Now a run whose node has left the Quartz cluster and has been
 * silent for two check-in intervals is recorded abandoned and the next run takes the pair over;
 * a run of a node still in the cluster, or of a node name without a Quartz instance, still holds.
 */
@OrchestratorTest
class SyncDeadNodeTest {

    @Autowired
    SyncService service;
    @Autowired
    SyncRepository repository;
    @Autowired
    SyncFixture fixture;
    @Autowired
    MutableClock clock;
    @Autowired
    Scheduler scheduler;
    @Autowired
    dev.sco.orchestrator.platform.continuity.SyncControl control;

    private SyncPair pair;

    @BeforeEach
    void setUp() {
        fixture.outsideWindow(clock);
        pair = fixture.create();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void runOfANodeThatLeftTheClusterIsAbandonedAndTheNextRunTakesThePairOver() {
        String dead = "node-b/4711/orchestrator" + SyncRepository.QUARTZ_INSTANCE + "killed-node-1";
        long held = repository.begin(pair.primary(), pair.failover(), "scheduled", dead, null, clock.instant())
                .orElseThrow();

        // Silent for less than two check-ins (10 s by default): it may only just have started.
        clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test"))
                .hasMessageContaining("is running on " + dead);

        clock.advance(Duration.ofSeconds(6));
        SyncService.Outcome outcome = service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test");

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.runId()).isNotEqualTo(held);
        SyncRepository.Run abandoned = repository.runs(pair.primary(), 5).stream().filter(r -> r.id() == held)
                .findFirst().orElseThrow();
        assertThat(abandoned.result()).isEqualTo("abandoned");
        assertThat(abandoned.error()).contains("left the cluster").contains("run " + outcome.runId());
        assertThat(repository.state(pair.primary()).orElseThrow().running()).isFalse();
        // A late end of the abandoned run changes nothing.
        assertThat(repository.endRun(pair.primary(), held, true, null, clock.instant())).isZero();
    }

    @Test
    void runOfANodeStillInTheClusterKeepsThePairHoweverQuietItIs() throws Exception {
        String alive = "node-b/4711/orchestrator" + SyncRepository.QUARTZ_INSTANCE + scheduler.getSchedulerInstanceId();
        repository.begin(pair.primary(), pair.failover(), "scheduled", alive, null, clock.instant()).orElseThrow();
        clock.advance(Duration.ofMinutes(10));

        assertThatThrownBy(() -> service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test"))
                .hasMessageContaining("is running on " + alive);
    }

    @Test
    void runOfANodeNameWithoutQuartzInstanceIsNeverJudgedGone() {
        repository.begin(pair.primary(), pair.failover(), "scheduled", "node-b/4711/orchestrator", null,
                clock.instant()).orElseThrow();
        clock.advance(Duration.ofMinutes(10));

        assertThatThrownBy(() -> service.runNow(pair.primary(), SyncService.Kind.MANUAL, "test"))
                .hasMessageContaining("is running on node-b/4711/orchestrator");
    }

    @Test
    void aNodeNamesItsQuartzInstance() throws Exception {
        assertThat(service.node()).endsWith(SyncRepository.QUARTZ_INSTANCE + scheduler.getSchedulerInstanceId());
    }

    /** A failover's stop of the sync does not wait for a run its dead node will never end. */
    @Test
    void stoppingForAFailoverWaitsForALiveNodesRunButNotForADeadOnes() throws Exception {
        String alive = "node-b/4711/orchestrator" + SyncRepository.QUARTZ_INSTANCE + scheduler.getSchedulerInstanceId();
        long held = repository.begin(pair.primary(), pair.failover(), "scheduled", alive, null, clock.instant())
                .orElseThrow();
        clock.advance(Duration.ofMinutes(5));
        assertThatThrownBy(() -> control.stop(pair.primary())).hasMessageContaining("still running on " + alive);
        repository.endRun(pair.primary(), held, false, "test over", clock.instant());

        String dead = "node-b/4711/orchestrator" + SyncRepository.QUARTZ_INSTANCE + "killed-node-2";
        repository.begin(pair.primary(), pair.failover(), "scheduled", dead, null, clock.instant()).orElseThrow();
        clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> control.stop(pair.primary())).as("silent for less than two check-ins")
                .hasMessageContaining("still running on " + dead);
        clock.advance(Duration.ofSeconds(6));
        control.stop(pair.primary());
        assertThat(repository.state(pair.primary()).orElseThrow().stoppedReason())
                .isEqualTo(SyncRepository.STOPPED_FOR_FAILOVER);
    }
}
