package dev.sco.orchestrator.audit;

import java.util.List;

/** Names shared by {@code processes/continuity-audit.bpmn}, its delegates and its tests. */
public final class ContinuityAuditProcess {

    public static final String KEY = "continuityAuditProcess";

    /** The only start event: its timer fires on the configured cycle; a start by key (REST) begins here too. */
    public static final String START_AUDIT_DUE = "StartEvent_AuditDue";
    public static final String REVIEW_CONTINUITY_PLAN = "UserTask_ReviewContinuityPlan";
    public static final String REVIEW_OVERDUE = "Timer_ReviewOverdue";
    public static final String ESCALATE_OVERDUE_REVIEW = "UserTask_EscalateOverdueReview";
    public static final String OVERDUE_REVIEW_ESCALATED = "EndEvent_OverdueReviewEscalated";
    public static final String RECORD_AUDIT_ANSWERS = "ServiceTask_RecordAuditAnswers";
    public static final String ALL_CHECKS_PASSED = "Gateway_AllChecksPassed";
    public static final String AUDIT_PASSED = "EndEvent_AuditPassed";
    public static final String FOLLOW_UP_GAPS = "UserTask_FollowUpGaps";
    public static final String GAPS_FOLLOWED_UP = "EndEvent_GapsFollowedUp";

    /** Start variable: ISO-8601 duration after which an untouched review is escalated. */
    public static final String VAR_REVIEW_DUE_AFTER = "reviewDueAfter";

    public static final String VAR_SLAS_CURRENT = "slasCurrent";
    public static final String VAR_ROLES_COMMUNICATED = "rolesCommunicated";
    public static final String VAR_STAFF_PREPARED = "staffPrepared";
    public static final String VAR_INFRASTRUCTURE_IN_PLACE = "infrastructureInPlace";
    public static final String VAR_NOTES = "notes";
    /** The four checks of the review form, in form order. */
    public static final List<String> CHECKS =
            List.of(VAR_SLAS_CURRENT, VAR_ROLES_COMMUNICATED, VAR_STAFF_PREPARED, VAR_INFRASTRUCTURE_IN_PLACE);

    /** Set when the review task completes: who completed it and when. */
    public static final String VAR_REVIEWED_BY = "reviewedBy";
    public static final String VAR_REVIEWED_AT = "reviewedAt";

    /** Written by the recording step and read by the gateway and the follow-up form. */
    public static final String VAR_ALL_CHECKS_PASSED = "allChecksPassed";
    public static final String VAR_FAILED_CHECKS = "failedChecks";

    public static final String VAR_FOLLOW_UP_NOTES = "followUpNotes";
    public static final String VAR_ESCALATION_NOTES = "escalationNotes";

    private ContinuityAuditProcess() {
    }
}
