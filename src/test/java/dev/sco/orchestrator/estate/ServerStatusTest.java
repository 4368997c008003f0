package dev.sco.orchestrator.estate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class ServerStatusTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void serverThatNeverPingedIsDown() {
        assertThat(ServerStatus.derive(null, 180, NOW)).isEqualTo(ServerStatus.DOWN);
    }

    @Test
    void serverIsUpUntilItsLastPingIsOlderThanItsOwnPeriod() {
        assertThat(ServerStatus.derive(NOW.minusSeconds(180), 180, NOW)).isEqualTo(ServerStatus.UP);
        assertThat(ServerStatus.derive(NOW.minusSeconds(181), 180, NOW)).isEqualTo(ServerStatus.DOWN);
        assertThat(ServerStatus.derive(NOW.minusSeconds(181), 600, NOW)).isEqualTo(ServerStatus.UP);
    }

    @Test
    void pingSlightlyInTheFutureCountsAsUp() {
        assertThat(ServerStatus.derive(NOW.plusSeconds(30), 1, NOW)).isEqualTo(ServerStatus.UP);
    }
}
