package dev.sco.orchestrator.postclone;

import java.time.OffsetDateTime;

/** One row of the agent issue table, as served by the related list. */
public record AgentIssue(
        long id,
        String agent,
        String instance,
        String cloneId,
        String source,
        String state,
        String agentStatus,
        String message,
        OffsetDateTime firstDetectedAt,
        OffsetDateTime lastDetectedAt,
        OffsetDateTime lastEvaluatedAt,
        int detectionCount,
        OffsetDateTime createdAt,
        OffsetDateTime resolvedAt,
        String operatorNote) {

    public static final String SOURCE_INSTANCE_CLONE = "InstanceClone";
    public static final String OPEN = "Open";
    public static final String RESOLVED = "Resolved";
}
