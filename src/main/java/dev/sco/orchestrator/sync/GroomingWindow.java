package dev.sco.orchestrator.sync;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import dev.sco.orchestrator.platform.continuity.FiveFieldCron;

/** The window of a pair whose primary's grooming job has a schedule: each start of the job, for its expected duration. */
record GroomingWindow(String job, FiveFieldCron schedule, ZoneId zone, Duration length) implements PairWindow {

    /** How many overlapping runs one window is followed through (a schedule that never leaves a gap ends there). */
    private static final int MAX_RUNS = 5_000;

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean contains(Instant at) {
        return currentEnd(at) != null;
    }

    /** Runs of the job that overlap (a start inside an earlier run) make one longer window. */
    @Override
    public Instant currentEnd(Instant at) {
        Instant end = null;
        Instant start = schedule.nextAfter(at.minus(length), zone);
        int runs = 0;
        while (!start.isAfter(at) && runs++ < MAX_RUNS) {
            Instant runEnd = start.plus(length);
            end = end == null || runEnd.isAfter(end) ? runEnd : end;
            start = schedule.nextAfter(start, zone);
        }
        if (end == null) {
            return null;
        }
        // A run starting before this one ends extends the window.
        while (start.isBefore(end) && runs++ < MAX_RUNS) {
            end = start.plus(length).isAfter(end) ? start.plus(length) : end;
            start = schedule.nextAfter(start, zone);
        }
        return end;
    }

    @Override
    public Instant nextEnd(Instant at) {
        Instant current = currentEnd(at);
        return current != null ? current : currentEnd(nextStart(at));
    }

    @Override
    public Instant nextStart(Instant at) {
        return schedule.nextAfter(at, zone);
    }

    @Override
    public String toString() {
        return "grooming job " + job + " (" + schedule + ", " + zone + ") for " + length.toMinutes() + " min";
    }
}
