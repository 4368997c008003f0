package dev.sco.orchestrator.audit;

import java.time.Clock;
import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * Notes who completed the review and when, while that is still known: the recording step runs
 * later in a job, where there is no authenticated user.
 */
@Component("recordReviewerListener")
class RecordReviewerListener implements TaskListener {

    static final String UNKNOWN_REVIEWER = "unknown";

    private final Clock clock;

    RecordReviewerListener(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void notify(DelegateTask task) {
        task.setVariable(ContinuityAuditProcess.VAR_REVIEWED_BY, reviewer(task));
        task.setVariable(ContinuityAuditProcess.VAR_REVIEWED_AT, Date.from(clock.instant()));
    }

    private static String reviewer(DelegateTask task) {
        if (task.getAssignee() != null) {
            return task.getAssignee();
        }
        Authentication authentication =
                task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        return authentication != null && authentication.getUserId() != null
                ? authentication.getUserId()
                : UNKNOWN_REVIEWER;
    }
}
