package dev.sco.orchestrator.platform.target;

import java.time.Duration;
import java.util.List;

/**
 * What to copy: rows of {@code source} (optionally limited to a {@link RowRange}) into
 * {@code target}, over {@code columns} (empty: every stored column of the source, in order).
 *
 * @param statementTimeout replaces the pool's statement timeout for this copy on both sides
 *                         (null keeps it; zero disables it), for copies that take long
 * @param targetTimeoutSet the caller's target transaction already has {@code statementTimeout}
 *                         (as a transaction-local setting): only the source gets it
 * @param progressEvery    bytes between two progress calls
 */
public record CopyRequest(TableRef source, TableRef target, List<String> columns, RowRange range,
                          Duration statementTimeout, boolean targetTimeoutSet, long progressEvery,
                          CopyProgress progress) {

    public static final long DEFAULT_PROGRESS_EVERY = 8L * 1024 * 1024;

    public CopyRequest {
        columns = List.copyOf(columns);
        columns.forEach(SqlIdentifiers::requireValid);
        if (statementTimeout != null && statementTimeout.isNegative()) {
            throw new IllegalArgumentException("statementTimeout must not be negative");
        }
        if (targetTimeoutSet && statementTimeout == null) {
            throw new IllegalArgumentException("targetTimeoutSet needs the statementTimeout the target has");
        }
        if (progressEvery < 1) {
            throw new IllegalArgumentException("progressEvery must be positive");
        }
        progress = progress == null ? CopyProgress.NONE : progress;
    }

    /** The whole table into the table of the same name. */
    public static CopyRequest table(String schema, String table) {
        TableRef ref = TableRef.of(schema, table);
        return new CopyRequest(ref, ref, List.of(), null, null, false, DEFAULT_PROGRESS_EVERY, CopyProgress.NONE);
    }

    public CopyRequest into(TableRef newTarget) {
        return new CopyRequest(source, newTarget, columns, range, statementTimeout, targetTimeoutSet,
                progressEvery, progress);
    }

    public CopyRequest withColumns(List<String> newColumns) {
        return new CopyRequest(source, target, newColumns, range, statementTimeout, targetTimeoutSet,
                progressEvery, progress);
    }

    public CopyRequest withRange(RowRange newRange) {
        return new CopyRequest(source, target, columns, newRange, statementTimeout, targetTimeoutSet,
                progressEvery, progress);
    }

    public CopyRequest withStatementTimeout(Duration newTimeout) {
        return new CopyRequest(source, target, columns, range, newTimeout, false, progressEvery, progress);
    }

    /**
     * The statement timeout of a copy inside a target transaction that already runs with it (set
     * locally before the statements that precede the copy): set on the source only.
     */
    public CopyRequest withStatementTimeoutSetOnTarget(Duration timeoutOfTarget) {
        return new CopyRequest(source, target, columns, range, timeoutOfTarget, true, progressEvery, progress);
    }

    public CopyRequest withProgress(long every, CopyProgress listener) {
        return new CopyRequest(source, target, columns, range, statementTimeout, targetTimeoutSet, every, listener);
    }
}
