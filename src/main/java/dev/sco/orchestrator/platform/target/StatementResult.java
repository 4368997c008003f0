package dev.sco.orchestrator.platform.target;

import java.time.Duration;
import java.util.List;

/**
 * What one statement of a script did: rows changed (update count) or rows returned (query),
 * how long it took, and the notices it raised (e.g. {@code RAISE NOTICE} in a DO block).
 */
public record StatementResult(int index, String summary, boolean query, long rows, Duration duration,
                              List<String> notices) {

    private static final int SUMMARY_LENGTH = 100;

    /** The statement on one line, cut to a readable length, for logs and run records. */
    static String summarize(String statement) {
        String oneLine = statement.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= SUMMARY_LENGTH ? oneLine : oneLine.substring(0, SUMMARY_LENGTH - 3) + "...";
    }
}
