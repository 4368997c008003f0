package dev.sco.orchestrator.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.TimeZone;

import org.quartz.impl.calendar.DailyCalendar;

/** The nightly maintenance window during which no sync may run: {@code start} for {@code length}, every day. */
record MaintenanceWindow(LocalTime start, Duration length, ZoneId zone) implements PairWindow {

    MaintenanceWindow {
        if (length.isNegative() || length.compareTo(Duration.ofHours(24)) >= 0) {
            throw new IllegalArgumentException("the window must last less than a day");
        }
    }

    static MaintenanceWindow of(SyncSettings settings) {
        ZoneId zone = settings.windowZone().isBlank() ? ZoneId.systemDefault() : ZoneId.of(settings.windowZone());
        return new MaintenanceWindow(LocalTime.parse(settings.windowStart()), Duration.ofMinutes(settings.windowMinutes()),
                zone);
    }

    @Override
    public boolean enabled() {
        return !length.isZero();
    }

    @Override
    public boolean contains(Instant at) {
        return enabled() && currentEnd(at) != null;
    }

    /** The end of the window {@code at} lies in, or null when it lies in none. */
    @Override
    public Instant currentEnd(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        for (int daysBack = 0; daysBack <= 1; daysBack++) {
            ZonedDateTime begin = local.toLocalDate().minusDays(daysBack).atTime(start).atZone(zone);
            ZonedDateTime end = begin.plus(length);
            if (!local.isBefore(begin) && local.isBefore(end)) {
                return end.toInstant();
            }
        }
        return null;
    }

    /** The next end of a window at or after {@code at}: scheduled runs are aligned on it. */
    @Override
    public Instant nextEnd(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        ZonedDateTime end = local.toLocalDate().minusDays(1).atTime(start).atZone(zone).plus(length);
        while (end.toInstant().isBefore(at)) {
            end = end.plusDays(1);
        }
        return end.toInstant();
    }

    /** The next start of a window after {@code at}. */
    @Override
    public Instant nextStart(Instant at) {
        ZonedDateTime begin = at.atZone(zone).toLocalDate().atTime(start).atZone(zone);
        while (!begin.toInstant().isAfter(at)) {
            begin = begin.plusDays(1);
        }
        return begin.toInstant();
    }

    @Override
    public String toString() {
        return start + " for " + length.toMinutes() + " min (" + zone + ")";
    }

    /** The same window as a Quartz calendar, so scheduled triggers skip it. */
    DailyCalendar quartzCalendar() {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("HH:mm:ss:SSS");
        LocalTime end = start.plus(length);
        DailyCalendar calendar;
        if (end.isAfter(start)) {
            calendar = new DailyCalendar(start.format(format), end.minusNanos(1_000_000).format(format));
        } else {
            // Across midnight: keep [end, start) and exclude everything else.
            calendar = new DailyCalendar(end.format(format), start.minusNanos(1_000_000).format(format));
            calendar.setInvertTimeRange(true);
        }
        calendar.setTimeZone(TimeZone.getTimeZone(zone));
        calendar.setDescription("nightly maintenance window " + this);
        return calendar;
    }
}
