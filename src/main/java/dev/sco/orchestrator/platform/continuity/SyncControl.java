package dev.sco.orchestrator.platform.continuity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What database failover and restoration need from the synchronisation of a database pair. The
 * sync feature implements it; failover depends only on this contract, so the two features stay
 * apart (architecture: features meet through platform contracts and processes).
 */
public interface SyncControl {

    /** Checkpoint of one table after its last successful copy. */
    record TableCheckpoint(String table, Instant checkpoint) {
    }

    /** The checkpoint of the last successful run: writes after it are not on the failover side. */
    Optional<Instant> lastSuccessfulCheckpoint(String primary);

    /** The last checkpoint of every synced table, in copy order. */
    List<TableCheckpoint> tableCheckpoints(String primary);

    /** How often the pair's sync runs; zero when it is not scheduled. */
    Duration interval(String primary);

    /**
     * Stops scheduled runs of the pair (idempotent). Never waits: throws {@link IllegalStateException}
     * when a run of the pair is still going, so the caller's step fails and tries again later.
     */
    void stop(String primary);

    /** Whether a sync run of the pair holds its is-running flag now. */
    boolean running(String primary);

    /** Runs one sync now and returns when it has ended (the final sync of a planned failover). */
    void runNow(String primary);

    /**
     * The statement timeout of one table copy ({@code ORCHESTRATOR_SYNC_COPY_TIMEOUT}, always
     * positive): a restoration's copy back is a copy of the same tables and is bounded by it too.
     */
    Duration copyTimeout();

    /** Makes the failover database a sync target again, re-initialises checkpoints and resumes runs. */
    void reinstall(String primary);

    /**
     * Whether a full copy of the pair may start now: {@code start}, or wait until {@code notBefore}
     * (the end of the maintenance window it would run into); {@code reason} says why either way.
     */
    record FullCopyPlan(boolean start, Instant notBefore, Duration waitFor, String reason) {

        public static FullCopyPlan startNow(String reason) {
            return new FullCopyPlan(true, null, Duration.ZERO, reason);
        }

        public static FullCopyPlan waitUntil(Instant until, Instant now, String reason) {
            return new FullCopyPlan(false, until, Duration.between(now, until), reason);
        }
    }

    /**
     * Whether a full copy of the pair named by {@code primary}, read from {@code source}, may start
     * now: not inside the pair's maintenance window, and only if its estimate (the last full copy's
     * rate) ends before the next window starts.
     */
    FullCopyPlan fullCopyPlan(String primary, String source);

    /** Records a restoration's finished copy back (the rate the next full copy of the pair is estimated from). */
    void recordCopyBack(String primary, String source, long rows, Duration took);
}
