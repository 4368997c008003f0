package dev.sco.orchestrator.standby;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class ConnectAnswerTest {

    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    @Test
    void liveActingHubIsTheAnswerAndTheStandbyRedirects() {
        PairState pair = pair("b", NOW.minusSeconds(3), NOW.minusSeconds(1), NOW);

        assertThat(ConnectAnswer.of(pair, null, NOW).connectTo()).isEqualTo("b");
        assertThat(ConnectAnswer.of(pair, "a", NOW).redirect()).isTrue();
        assertThat(ConnectAnswer.of(pair, "b", NOW).redirect()).isFalse();
    }

    @Test
    void lostActingHubSendsComponentsToTheLiveHubInConfiguredOrder() {
        PairState pair = pair("b", NOW.minusSeconds(3), NOW.minusSeconds(60), NOW);

        ConnectAnswer answer = ConnectAnswer.of(pair, "b", NOW);

        assertThat(answer.connectTo()).isEqualTo("a");
        assertThat(answer.redirect()).isTrue();
        assertThat(answer.actingAlive()).isFalse();
        assertThat(answer.reason()).contains("lost");
    }

    @Test
    void heartbeatExactlyAtTheTimeoutIsStillAlive() {
        PairState pair = pair("a", NOW.minusSeconds(15), null, null);

        assertThat(pair.alive("a", NOW)).isTrue();
        assertThat(pair.alive("a", NOW.plusMillis(1))).isFalse();
        assertThat(pair.standbyState(NOW)).isEqualTo("lost");
    }

    @Test
    void standbyIsReadyOnlyOnceResynchronised() {
        assertThat(pair("a", NOW, NOW, null).standbyState(NOW)).isEqualTo("resynchronising");
        assertThat(pair("a", NOW, NOW, NOW).standbyState(NOW)).isEqualTo("ready");
    }

    private static PairState pair(String acting, Instant beatA, Instant beatB, Instant synced) {
        return new PairState("p", "a", "b", acting, beatA, beatB, Duration.ofSeconds(15), synced);
    }
}
