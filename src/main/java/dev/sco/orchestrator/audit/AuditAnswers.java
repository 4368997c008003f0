package dev.sco.orchestrator.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What one reviewer answered in one continuity plan review. */
record AuditAnswers(
        String processInstanceId,
        String businessKey,
        String reviewedBy,
        Instant reviewedAt,
        boolean slasCurrent,
        boolean rolesCommunicated,
        boolean staffPrepared,
        boolean infrastructureInPlace,
        String notes) {

    boolean allChecksPassed() {
        return failedChecks().isEmpty();
    }

    /** The labels of the checks that were not confirmed, in form order. */
    List<String> failedChecks() {
        List<String> failed = new ArrayList<>();
        if (!slasCurrent) {
            failed.add("SLAs are current and accurate");
        }
        if (!rolesCommunicated) {
            failed.add("Roles and responsibilities communicated");
        }
        if (!staffPrepared) {
            failed.add("Staff prepared");
        }
        if (!infrastructureInPlace) {
            failed.add("Supporting infrastructure in place and reflected in the plan");
        }
        return failed;
    }
}
