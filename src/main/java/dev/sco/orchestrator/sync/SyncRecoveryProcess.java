package dev.sco.orchestrator.sync;

/** Keys, element ids and variables of {@code processes/sync-recovery.bpmn}. */
final class SyncRecoveryProcess {

    static final String KEY = "syncRecoveryProcess";

    static final String APPROVE_RESYNC = "UserTask_ApproveResync";
    static final String RESYNC_DECLINED = "UserTask_ResyncDeclined";
    static final String STILL_STOPPED = "UserTask_SyncStillStopped";
    static final String APPROVAL_OVERDUE = "UserTask_ApprovalOverdue";
    static final String FULL_RESYNC = "ServiceTask_FullResync";
    static final String RESUME_SCHEDULE = "ServiceTask_ResumeSchedule";
    static final String ESCALATE_APPROVAL = "Boundary_EscalateApproval";
    static final String REMIND_DECLINED = "Boundary_RemindDeclined";
    static final String RESUMED = "EndEvent_SyncResumed";

    static final String VAR_DATABASE = "database";
    static final String VAR_FAILOVER = "failover";
    static final String VAR_FAILURES = "failures";
    static final String VAR_APPROVED = "approved";
    static final String VAR_RESYNC_RUN = "resyncRunId";
    static final String VAR_RESYNC_ROWS = "resyncRows";
    /** Rows the running full copy has copied so far, updated while it runs (each table, and every few seconds). */
    static final String VAR_RESYNC_ROWS_SO_FAR = "resyncRowsSoFar";

    private SyncRecoveryProcess() {
    }
}
