package dev.sco.orchestrator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quartz.TriggerUtils;
import org.quartz.spi.OperableTrigger;

/** The nightly window on a fixed clock, and the schedule's ticks around it. */
class MaintenanceWindowTest {

    private static final MaintenanceWindow MIDNIGHT = new MaintenanceWindow(LocalTime.MIDNIGHT, Duration.ofMinutes(60),
            ZoneOffset.UTC);

    @Test
    void containsOnlyTheWindowItself() {
        assertThat(MIDNIGHT.contains(Instant.parse("2025-03-10T00:00:00Z"))).isTrue();
        assertThat(MIDNIGHT.contains(Instant.parse("2025-03-10T00:59:59Z"))).isTrue();
        assertThat(MIDNIGHT.contains(Instant.parse("2025-03-10T01:00:00Z"))).isFalse();
        assertThat(MIDNIGHT.contains(Instant.parse("2025-03-09T23:59:59Z"))).isFalse();
        assertThat(MIDNIGHT.currentEnd(Instant.parse("2025-03-10T00:20:00Z")))
                .isEqualTo(Instant.parse("2025-03-10T01:00:00Z"));
    }

    @Test
    void windowAcrossMidnightEndsTheNextDay() {
        MaintenanceWindow late = new MaintenanceWindow(LocalTime.of(23, 30), Duration.ofMinutes(60), ZoneOffset.UTC);

        assertThat(late.contains(Instant.parse("2025-03-10T23:45:00Z"))).isTrue();
        assertThat(late.contains(Instant.parse("2025-03-11T00:15:00Z"))).isTrue();
        assertThat(late.contains(Instant.parse("2025-03-11T00:30:00Z"))).isFalse();
        assertThat(late.quartzCalendar().isTimeIncluded(Instant.parse("2025-03-11T00:10:00Z").toEpochMilli())).isFalse();
        assertThat(late.quartzCalendar().isTimeIncluded(Instant.parse("2025-03-11T00:31:00Z").toEpochMilli())).isTrue();
    }

    @Test
    void aRunDueInsideTheWindowStartsAtItsEnd() {
        SyncSettings settings = new SyncSettings(Duration.ofMinutes(25), Duration.ofMinutes(5), Duration.ofMinutes(30),
                "00:00", 60, "UTC", 3, Duration.ofHours(2), true, Map.of());
        Instant now = Instant.parse("2025-03-10T22:07:00Z");
        OperableTrigger trigger = (OperableTrigger) SyncSchedule.trigger("db", settings, MIDNIGHT, now);

        List<Date> fires = TriggerUtils.computeFireTimes(trigger, MIDNIGHT.quartzCalendar(), 8);

        // Ticks sit on a grid through 01:00; the ones inside 00:00-01:00 are skipped, not made up.
        assertThat(fires.stream().map(Date::toInstant).toList()).containsExactly(
                Instant.parse("2025-03-10T22:30:00Z"), Instant.parse("2025-03-10T22:55:00Z"),
                Instant.parse("2025-03-10T23:20:00Z"), Instant.parse("2025-03-10T23:45:00Z"),
                Instant.parse("2025-03-11T01:00:00Z"), Instant.parse("2025-03-11T01:25:00Z"),
                Instant.parse("2025-03-11T01:50:00Z"), Instant.parse("2025-03-11T02:15:00Z"));
        assertThat(trigger.getMisfireInstruction())
                .isEqualTo(org.quartz.SimpleTrigger.MISFIRE_INSTRUCTION_RESCHEDULE_NEXT_WITH_REMAINING_COUNT);
    }
}
