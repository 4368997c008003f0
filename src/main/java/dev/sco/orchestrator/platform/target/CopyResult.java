package dev.sco.orchestrator.platform.target;

import java.time.Duration;

/** Rows the target accepted (as counted by the server), bytes streamed, and how long it took. */
public record CopyResult(TableRef source, TableRef target, long rows, long bytes, Duration duration) {
}
