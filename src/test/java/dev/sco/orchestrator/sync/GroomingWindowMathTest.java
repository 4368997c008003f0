package dev.sco.orchestrator.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import dev.sco.orchestrator.platform.continuity.FiveFieldCron;
import org.junit.jupiter.api.Test;

/** The window of a scheduled grooming job on a fixed clock: each start for the expected duration. */
class GroomingWindowMathTest {

    @Test
    void eachScheduledStartOpensTheWindowForTheExpectedDuration() {
        // Weekdays at 02:30 and Sundays at 04:00 would be two jobs; here: 02:30 on weekdays, 90 minutes.
        GroomingWindow window = new GroomingWindow("groom", FiveFieldCron.parse("30 2 * * MON-FRI"), ZoneOffset.UTC,
                Duration.ofMinutes(90));

        // 2025-03-10 is a Monday.
        assertThat(window.contains(Instant.parse("2025-03-10T02:29:59Z"))).isFalse();
        assertThat(window.contains(Instant.parse("2025-03-10T02:30:00Z"))).isTrue();
        assertThat(window.currentEnd(Instant.parse("2025-03-10T03:00:00Z"))).isEqualTo(Instant.parse("2025-03-10T04:00:00Z"));
        assertThat(window.contains(Instant.parse("2025-03-10T04:00:00Z"))).isFalse();
        assertThat(window.nextStart(Instant.parse("2025-03-10T04:00:00Z"))).isEqualTo(Instant.parse("2025-03-11T02:30:00Z"));
        assertThat(window.nextEnd(Instant.parse("2025-03-10T05:00:00Z"))).isEqualTo(Instant.parse("2025-03-11T04:00:00Z"));
        // Friday's window, then nothing until Monday.
        assertThat(window.nextStart(Instant.parse("2025-03-14T05:00:00Z"))).isEqualTo(Instant.parse("2025-03-17T02:30:00Z"));
        assertThat(window.contains(Instant.parse("2025-03-15T03:00:00Z"))).isFalse();
    }

    @Test
    void runsThatOverlapMakeOneWindowAndTheZoneCounts() {
        // Every two hours for three hours: the runs overlap, the window never closes within the day's runs.
        GroomingWindow overlapping = new GroomingWindow("groom", FiveFieldCron.parse("0 0-6/2 * * *"), ZoneOffset.UTC,
                Duration.ofHours(3));
        assertThat(overlapping.currentEnd(Instant.parse("2025-03-10T00:30:00Z")))
                .isEqualTo(Instant.parse("2025-03-10T09:00:00Z"));

        GroomingWindow paris = new GroomingWindow("groom", FiveFieldCron.parse("0 1 * * *"), ZoneId.of("Europe/Paris"),
                Duration.ofMinutes(30));
        assertThat(paris.contains(Instant.parse("2025-03-10T00:10:00Z"))).as("01:10 in Paris (UTC+1)").isTrue();
        assertThat(paris.contains(Instant.parse("2025-03-10T01:10:00Z"))).isFalse();
    }

    @Test
    void onlyFiveFieldSchedulesAreTaken() {
        assertThatThrownBy(() -> FiveFieldCron.parse("0 0 1 * * ?")).hasMessageContaining("five fields");
        assertThatThrownBy(() -> FiveFieldCron.parse("0 1 * *")).hasMessageContaining("five fields");
        assertThatThrownBy(() -> FiveFieldCron.parse("61 1 * * *")).hasMessageContaining("not a valid cron");
        assertThatThrownBy(() -> FiveFieldCron.parse("0 1 * * *; drop")).isInstanceOf(IllegalArgumentException.class);
        assertThat(FiveFieldCron.parse("  15   3 * * sun ").toString()).isEqualTo("15 3 * * sun");
    }
}
