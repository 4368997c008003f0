package dev.sco.orchestrator.sync;

import java.time.Instant;

/**
 * The maintenance window of a pair: the times no sync may run and no full copy may overlap. Either
 * the fixed daily slot of the settings ({@link MaintenanceWindow}) or, when the primary's grooming
 * job is registered with a schedule, each of its starts for its expected duration ({@link GroomingWindow}).
 */
interface PairWindow {

    boolean enabled();

    boolean contains(Instant at);

    /** The end of the window {@code at} lies in, or null when it lies in none. */
    Instant currentEnd(Instant at);

    /** The next end of a window at or after {@code at}: scheduled runs are aligned on it. */
    Instant nextEnd(Instant at);

    /** The next start of a window after {@code at}. */
    Instant nextStart(Instant at);
}
