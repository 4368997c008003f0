package dev.sco.orchestrator.pause;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import dev.sco.orchestrator.platform.web.ApiProblem;
import org.junit.jupiter.api.Test;

/** The checks of {@code POST /api/pauses} made before any database access; each names its field. */
class PauseRequestValidationTest {

    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final Duration MAX = Duration.ofHours(8);

    @Test
    void targetNeedsAKnownKindAndAName() {
        assertRefused(new PauseRequest(null, "r", NOW.plusSeconds(60)), "target");
        assertRefused(request(null, "db"), "target.kind");
        assertRefused(request("cluster", "db"), "target.kind");
        assertRefused(request("Database", "db"), "target.kind");
        assertRefused(request("database", null), "target.name");
        assertRefused(request("database", "a b"), "target.name");
        assertRefused(request("hub-pair", "x".repeat(129)), "target.name");
    }

    @Test
    void reasonIsRequiredBoundedPrintableText() {
        assertRefused(new PauseRequest(target("server", "s"), null, NOW.plusSeconds(60)), "reason");
        assertRefused(new PauseRequest(target("server", "s"), "  ", NOW.plusSeconds(60)), "reason");
        assertRefused(new PauseRequest(target("server", "s"), "x".repeat(501), NOW.plusSeconds(60)), "reason");
        assertRefused(new PauseRequest(target("server", "s"), "patch\nnight", NOW.plusSeconds(60)), "reason");
    }

    @Test
    void untilIsInTheFutureAndWithinTheMaximumDuration() {
        assertRefused(new PauseRequest(target("server", "s"), "r", null), "until");
        assertRefused(new PauseRequest(target("server", "s"), "r", NOW), "until");
        assertRefused(new PauseRequest(target("server", "s"), "r", NOW.minusSeconds(1)), "until");
        assertRefused(new PauseRequest(target("server", "s"), "r", NOW.plus(MAX).plusSeconds(1)), "until");
    }

    @Test
    void aValidRequestKeepsItsValues() {
        PauseRequest.Valid valid = new PauseRequest(target("hub-pair", "pair-1"), "hub upgrade", NOW.plus(MAX))
                .validate(NOW, MAX);
        assertThat(valid).isEqualTo(new PauseRequest.Valid(TargetKind.HUB_PAIR, "pair-1", "hub upgrade", NOW.plus(MAX)));
        assertThat(new PauseRequest(target("database", "db"), "r", NOW.plusSeconds(1)).validate(NOW, MAX).kind())
                .isEqualTo(TargetKind.DATABASE);
        assertThat(new PauseRequest(target("server", "s"), "r", NOW.plusSeconds(1)).validate(NOW, MAX).kind())
                .isEqualTo(TargetKind.SERVER);
    }

    private static PauseRequest request(String kind, String name) {
        return new PauseRequest(target(kind, name), "maintenance", NOW.plusSeconds(3600));
    }

    private static PauseRequest.TargetRequest target(String kind, String name) {
        return new PauseRequest.TargetRequest(kind, name);
    }

    private static void assertRefused(PauseRequest request, String field) {
        assertThatThrownBy(() -> request.validate(NOW, MAX)).isInstanceOf(ApiProblem.class)
                .satisfies(e -> assertThat(((ApiProblem) e).field()).isEqualTo(field))
                .satisfies(e -> assertThat(((ApiProblem) e).status().value()).isEqualTo(400));
    }
}
