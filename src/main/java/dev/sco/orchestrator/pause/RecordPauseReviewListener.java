package dev.sco.orchestrator.pause;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * On the review task's {@code complete} (and {@code delete}, when the review process is cancelled):
 * records who reviewed, their note, and ends the hold, in the completing transaction. From then
 * on the sensors act on the target again by their own rules (a failover counts its probes afresh).
 */
@Component("recordPauseReviewListener")
class RecordPauseReviewListener implements TaskListener {

    static final String UNKNOWN = "unknown";

    private final PauseService service;

    RecordPauseReviewListener(PauseService service) {
        this.service = service;
    }

    @Override
    public void notify(DelegateTask task) {
        long pauseId = ((Number) task.getVariable(MaintenancePauseReviewProcess.VAR_PAUSE_ID)).longValue();
        boolean completed = TaskListener.EVENTNAME_COMPLETE.equals(task.getEventName());
        Object note = task.getVariable(MaintenancePauseReviewProcess.VAR_REVIEW_NOTE);
        service.closeReview(pauseId, completed ? "done" : "cancelled", reviewer(task),
                completed ? (note == null ? null : note.toString())
                        : "review process cancelled" + (task.getDeleteReason() == null ? "" : ": " + task.getDeleteReason()));
    }

    private static String reviewer(DelegateTask task) {
        Authentication authentication =
                task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        if (authentication != null && authentication.getUserId() != null) {
            return authentication.getUserId();
        }
        return task.getAssignee() != null ? task.getAssignee() : UNKNOWN;
    }
}
