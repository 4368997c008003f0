package dev.sco.orchestrator.audit;

import static dev.sco.orchestrator.audit.ContinuityAuditProcess.*;

import java.time.Clock;
import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component("recordAuditAnswersDelegate")
class RecordAuditAnswersDelegate implements JavaDelegate {

    private final AuditService audits;
    private final Clock clock;

    RecordAuditAnswersDelegate(AuditService audits, Clock clock) {
        this.audits = audits;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Date reviewedAt = (Date) execution.getVariable(VAR_REVIEWED_AT);
        String reviewedBy = (String) execution.getVariable(VAR_REVIEWED_BY);
        AuditAnswers stored = audits.record(new AuditAnswers(
                execution.getProcessInstanceId(),
                execution.getProcessBusinessKey(),
                reviewedBy != null ? reviewedBy : RecordReviewerListener.UNKNOWN_REVIEWER,
                reviewedAt != null ? reviewedAt.toInstant() : clock.instant(),
                confirmed(execution, VAR_SLAS_CURRENT),
                confirmed(execution, VAR_ROLES_COMMUNICATED),
                confirmed(execution, VAR_STAFF_PREPARED),
                confirmed(execution, VAR_INFRASTRUCTURE_IN_PLACE),
                (String) execution.getVariable(VAR_NOTES)));
        execution.setVariable(VAR_ALL_CHECKS_PASSED, stored.allChecksPassed());
        execution.setVariable(VAR_FAILED_CHECKS, String.join("; ", stored.failedChecks()));
    }

    /** A check counts only if it was ticked: a missing answer is a gap. */
    private static boolean confirmed(DelegateExecution execution, String check) {
        return Boolean.TRUE.equals(execution.getVariable(check));
    }
}
