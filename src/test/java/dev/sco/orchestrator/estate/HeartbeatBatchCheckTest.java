package dev.sco.orchestrator.estate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.sco.orchestrator.platform.web.ApiProblem;
import org.junit.jupiter.api.Test;

class HeartbeatBatchCheckTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void missingTimeMeansNowAndOffsetsAreNormalised() {
        HeartbeatService.Batch batch = HeartbeatService.check(List.of(
                new HeartbeatRequest("a", null),
                new HeartbeatRequest("b", OffsetDateTime.of(2025, 3, 1, 13, 59, 0, 0, ZoneOffset.ofHours(2)))), NOW);

        assertThat(batch.names()).containsExactly("a", "b");
        assertThat(batch.times()).containsExactly("2025-03-01T12:00:00Z", "2025-03-01T11:59:00Z");
    }

    @Test
    void timeMoreThanFiveMinutesAheadIsRefusedWithItsIndex() {
        OffsetDateTime ahead = OffsetDateTime.ofInstant(NOW.plusSeconds(301), ZoneOffset.UTC);
        List<HeartbeatRequest> batch = List.of(new HeartbeatRequest("a", null), new HeartbeatRequest("b", ahead));

        assertThatThrownBy(() -> HeartbeatService.check(batch, NOW))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.field()).isEqualTo("[1].at"));
        assertThat(HeartbeatService.check(List.of(new HeartbeatRequest("a",
                OffsetDateTime.ofInstant(NOW.plusSeconds(300), ZoneOffset.UTC))), NOW).names()).containsExactly("a");
    }

    @Test
    void missingOrInvalidServerNameIsRefusedWithItsIndex() {
        List<HeartbeatRequest> batch = new ArrayList<>(List.of(new HeartbeatRequest("a", null)));
        batch.add(new HeartbeatRequest("x/../y", null));
        assertThatThrownBy(() -> HeartbeatService.check(batch, NOW))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.field()).isEqualTo("[1].server"));
        assertThatThrownBy(() -> HeartbeatService.check(Collections.singletonList(null), NOW))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.field()).isEqualTo("[0]"));
    }

    @Test
    void batchOverTheLimitIsTooLarge() {
        List<HeartbeatRequest> batch = Collections.nCopies(HeartbeatService.MAX_BATCH + 1,
                new HeartbeatRequest("a", null));
        assertThatThrownBy(() -> HeartbeatService.check(batch, NOW))
                .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.status().value()).isEqualTo(413));
    }
}
