package dev.sco.orchestrator.platform.target;

import java.time.Duration;
import java.util.List;

/** A finished script run: committed, or rolled back on purpose when {@code dryRun}. */
public record ScriptRun(String script, String database, boolean dryRun, List<StatementResult> statements,
                        Duration duration) {

    public long totalRows() {
        return statements.stream().mapToLong(StatementResult::rows).sum();
    }
}
