package dev.sco.orchestrator.audit;

import java.util.Date;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.impl.calendar.CronTimer;
import org.camunda.bpm.engine.impl.calendar.DurationHelper;
import org.springframework.beans.factory.InitializingBean;

/**
 * When the continuity plan audit runs and how long a review may wait ({@code orchestrator.audit.*}).
 * Registered as bean {@code auditSettings}: the BPMN timers read it. Both values are parsed with the
 * engine's own timer parsers at start, so a value the engine would reject stops start-up instead of
 * failing a deployment or an audit months later.
 */
public class AuditSettings implements InitializingBean {

    static final String CYCLE_VARIABLE = "ORCHESTRATOR_AUDIT_CYCLE";
    static final String REVIEW_DUE_VARIABLE = "ORCHESTRATOR_AUDIT_REVIEW_DUE";

    /** Quarterly: 09:00 on the first day of January, April, July and October. */
    private String cycle = "0 0 9 1 1/3 ?";
    private String reviewDue = "P14D";

    public String getCycle() {
        return cycle;
    }

    public void setCycle(String cycle) {
        this.cycle = cycle == null ? "" : cycle.trim();
    }

    public String getReviewDue() {
        return reviewDue;
    }

    public void setReviewDue(String reviewDue) {
        this.reviewDue = reviewDue == null ? "" : reviewDue.trim();
    }

    @Override
    public void afterPropertiesSet() {
        String cycleProblem = cronProblem(cycle);
        if (cycleProblem != null) {
            throw new InvalidSettingException(CYCLE_VARIABLE, cycleProblem);
        }
        String dueProblem = durationProblem(reviewDue);
        if (dueProblem != null) {
            throw new InvalidSettingException(REVIEW_DUE_VARIABLE, dueProblem);
        }
    }

    /**
     * The escalation delay of one audit: the start variable {@code reviewDueAfter} if given, else the
     * setting. Called by the review task's boundary timer.
     */
    public String reviewDue(VariableScope execution) {
        Object requested = execution.getVariable(ContinuityAuditProcess.VAR_REVIEW_DUE_AFTER);
        if (requested == null || requested.toString().isBlank()) {
            return reviewDue;
        }
        String value = requested.toString().trim();
        String problem = durationProblem(value);
        if (problem != null) {
            throw new BadUserRequestException(ContinuityAuditProcess.VAR_REVIEW_DUE_AFTER + ": " + problem);
        }
        return value;
    }

    /**
     * Only cron is accepted: a cron's next firing does not depend on when it is computed, so the
     * pending timer can be re-aligned to a changed setting at start without moving the audit.
     */
    static String cronProblem(String value) {
        if (value.isEmpty()) {
            return "must be a cron expression, e.g. '0 0 9 1 1/3 ?' (quarterly)";
        }
        String[] fields = value.split("\\s+");
        if (fields.length != 6) {
            return "must be a cron expression of 6 fields (second minute hour day-of-month month day-of-week), was '"
                    + value + "'";
        }
        try {
            CronTimer.parse(value);
            return null;
        } catch (Exception e) {
            return "is not a valid cron expression: '" + value + "' (" + e.getMessage() + ")";
        }
    }

    static String durationProblem(String value) {
        String example = "must be an ISO-8601 duration such as P14D or PT36H";
        if (value.isEmpty() || !value.startsWith("P")) {
            return example + ", was '" + value + "'";
        }
        try {
            Date now = new Date();
            Date due = new DurationHelper(value, now).getDateAfter(now);
            return due.after(now) ? null : example + " longer than zero, was '" + value + "'";
        } catch (Exception e) {
            return example + ", was '" + value + "'";
        }
    }
}
