package dev.sco.orchestrator.postclone;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Records the pre-clone agents and sets the two check dates, both computed from the clone's completion. */
@Component("captureCloneSnapshotDelegate")
class CaptureCloneSnapshotDelegate implements JavaDelegate {

    private final PostCloneService service;

    CaptureCloneSnapshotDelegate(PostCloneService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String cloneId = (String) execution.getVariable(PostCloneCheckProcess.VAR_CLONE_ID);
        String instance = (String) execution.getVariable(PostCloneCheckProcess.VAR_INSTANCE);
        Instant completedAt = completedAt(execution.getVariable(PostCloneCheckProcess.VAR_COMPLETED_AT));
        int size = service.captureSnapshot(cloneId, instance, completedAt, execution.getProcessInstanceId());
        PostCloneService.CheckDates dates = service.checkDates(completedAt);
        execution.setVariable(PostCloneCheckProcess.VAR_SNAPSHOT_SIZE, size);
        execution.setVariable(PostCloneCheckProcess.VAR_FIRST_CHECK_AT, dates.firstCheckAt());
        execution.setVariable(PostCloneCheckProcess.VAR_SECOND_CHECK_AT, dates.secondCheckAt());
    }

    /** Accepts a Date variable, or an ISO-8601 string with offset (what a REST client sends). */
    static Instant completedAt(Object value) {
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("completedAt must be ISO-8601 with offset, was '" + text + "'", e);
            }
        }
        throw new IllegalArgumentException("completedAt is missing or not a date");
    }
}
