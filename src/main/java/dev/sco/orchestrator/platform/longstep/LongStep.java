package dev.sco.orchestrator.platform.longstep;

import java.util.Map;

/**
 * A step that may run for longer than an engine job's lock (a full copy, a copy back): modelled
 * as an external task of topic {@link #topic()} and worked by {@link LongStepWorker}, which keeps
 * the task's lock extended while the work runs. While the worker's node lives no other node can
 * take the task; when it dies the lock runs out and another node takes it over and runs the step
 * again, so the work must be safe to repeat.
 */
public interface LongStep {

    String topic();

    /** How often the step is tried before its failure becomes an incident. */
    default int tries() {
        return 3;
    }

    /** How long a failed try waits before the next; null: {@link LongStepSettings#retryAfter()}. */
    default java.time.Duration retryAfter() {
        return null;
    }

    /**
     * Checks, before any work, that the operation's record allows this step; throws (nothing done,
     * the task fails into its retries) when it does not.
     */
    void check(LongStepTask task);

    /** The work itself; answers the variables to set when the task completes. */
    Map<String, Object> run(LongStepTask task);

    /** Records the step in the orchestrator's record; runs in the transaction that completes the task. */
    void completed(LongStepTask task);
}
