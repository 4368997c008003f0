package dev.sco.orchestrator.serverfailover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The anti-flap rules in isolation. */
class DetectorRulesTest {

    private static final Instant PING = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant OUTAGE = PING.plusSeconds(180);
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration COOLDOWN = Duration.ofMinutes(10);

    @Test
    void waitsUntilTheGraceHasPassed() {
        assertThat(verdict(down(null, null), OUTAGE.plusSeconds(29))).isEqualTo(DetectorRules.Verdict.WITHIN_GRACE);
        assertThat(verdict(down(null, null), OUTAGE.plusSeconds(30))).isEqualTo(DetectorRules.Verdict.ACT);
    }

    @Test
    void anOpenFailoverComesBeforeTheCoolDown() {
        Instant justNow = OUTAGE.minusSeconds(60);
        assertThat(verdict(down(7L, justNow), OUTAGE.plusSeconds(40))).isEqualTo(DetectorRules.Verdict.ALREADY_FAILING_OVER);
        assertThat(verdict(down(null, justNow), OUTAGE.plusSeconds(40))).isEqualTo(DetectorRules.Verdict.COOL_DOWN);
        assertThat(verdict(down(null, justNow), justNow.plus(COOLDOWN))).isEqualTo(DetectorRules.Verdict.ACT);
    }

    @Test
    void aMaintenancePauseComesFirst() {
        DetectorRules.Decision paused = DetectorRules.decide(down(null, null), OUTAGE.plusSeconds(40), GRACE, COOLDOWN,
                "maintenance pause 3 by operator until later (patching): no action");
        assertThat(paused.verdict()).isEqualTo(DetectorRules.Verdict.PAUSED);
        assertThat(paused.reason()).startsWith("Down since " + OUTAGE).endsWith("no action");
        assertThat(DetectorRules.decide(down(7L, OUTAGE), OUTAGE.plusSeconds(1), GRACE, COOLDOWN, "held").verdict())
                .isEqualTo(DetectorRules.Verdict.PAUSED);
        assertThat(DetectorRules.decide(down(null, null), OUTAGE.plusSeconds(40), GRACE, COOLDOWN, null).verdict())
                .isEqualTo(DetectorRules.Verdict.ACT);
    }

    private static DownServer down(Long openOutage, Instant lastFailover) {
        return new DownServer("ms-1", "ms-2", PING, OUTAGE, openOutage, openOutage == null ? null : "awaiting-return",
                openOutage == null ? null : "pi-1", lastFailover);
    }

    private static DetectorRules.Verdict verdict(DownServer down, Instant now) {
        return DetectorRules.decide(down, now, GRACE, COOLDOWN).verdict();
    }
}
