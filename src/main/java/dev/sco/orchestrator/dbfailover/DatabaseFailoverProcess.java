package dev.sco.orchestrator.dbfailover;

import java.util.List;

/** Names shared by {@code processes/database-failover.bpmn}, its delegates and tests. */
public final class DatabaseFailoverProcess {

    public static final String KEY = "databaseFailoverProcess";

    public static final String START = "StartEvent_FailoverRequested";
    public static final String PRE_FLIGHT = "ServiceTask_PreFlight";
    public static final String APPROVAL_GATEWAY = "Gateway_ApprovalNeeded";
    public static final String APPROVE = "UserTask_ApproveFailover";
    public static final String APPROVED_GATEWAY = "Gateway_Approved";
    public static final String RECORD_DECLINED = "ServiceTask_RecordDeclined";
    public static final String END_DECLINED = "EndEvent_Declined";
    public static final String MODE_GATEWAY = "Gateway_Drill";
    public static final String DRILL_CHECKS = "ServiceTask_DrillChecks";
    public static final String END_DRILL = "EndEvent_DrillRecorded";
    public static final String FENCE = "ServiceTask_FenceOldPrimary";
    public static final String FENCED_GATEWAY = "Gateway_Fenced";
    public static final String ACKNOWLEDGE_UNFENCED = "UserTask_AcknowledgeUnfenced";
    /** After the reconnect: the writers did not all confirm the fence; a DBA acknowledges or nothing goes on. */
    public static final String WRITERS_CONFIRMED_GATEWAY = "Gateway_WritersConfirmed";
    public static final String ACKNOWLEDGE_UNCONFIRMED_WRITERS = "UserTask_AcknowledgeUnconfirmedWriters";
    public static final String STOP_SYNC = "ServiceTask_StopSync";
    public static final String REMOVE_ORPHANS = "ServiceTask_RemoveOrphans";
    public static final String RESTORE_UNIQUE_INDEXES = "ServiceTask_RestoreUniqueIndexes";
    public static final String ENABLE_CONSTRAINTS = "ServiceTask_EnableConstraints";
    public static final String ADVANCE_SEQUENCES = "ServiceTask_AdvanceSequences";
    public static final String SWITCH_JOBS = "ServiceTask_SwitchDatabaseJobs";
    public static final String REPOINT = "ServiceTask_RepointConsumers";
    public static final String RECONNECT = "ServiceTask_ReconnectConsumers";
    public static final String VERIFY = "ServiceTask_VerifyConsumers";
    public static final String VERIFIED_GATEWAY = "Gateway_AllConsumersMoved";
    public static final String CONSUMERS_NOT_MOVED = "UserTask_MoveRemainingConsumers";
    public static final String VERIFY_AGAIN = "ServiceTask_VerifyAgain";
    public static final String VERIFIED_AGAIN_GATEWAY = "Gateway_AllMovedNow";
    public static final String RECORD_REPAIRED = "ServiceTask_RecordRepaired";
    public static final String RECORD_INCOMPLETE = "ServiceTask_RecordIncomplete";
    public static final String END_FAILED_OVER = "EndEvent_FailedOver";
    public static final String END_INCOMPLETE = "EndEvent_ConsumersLeftBehind";

    /** The preparation scripts of the failover database, in the order they must run. */
    public static final List<String> PREPARATION_SCRIPTS =
            List.of("remove-orphans", "restore-unique-indexes", "enable-triggers-and-constraints", "advance-sequences");

    public static final String VAR_OPERATION_ID = "operationId";
    public static final String VAR_DATABASE = "database";
    public static final String VAR_FAILOVER_DATABASE = "failoverDatabase";
    public static final String VAR_MODE = "mode";
    public static final String VAR_REASON = "reason";
    public static final String VAR_TICKET = "ticket";
    public static final String VAR_REQUESTED_BY = "requestedBy";
    /** Set by the pre-flight step: shown on the approval form. */
    public static final String VAR_DATA_LOSS_WINDOW = "dataLossWindow";
    public static final String VAR_CHECKPOINTS = "lastCheckpoints";
    public static final String VAR_PRE_FLIGHT = "preFlightResult";
    public static final String VAR_PRE_FLIGHT_OK = "preFlightOk";
    /** The pre-flight per script as JSON rows (script, outcome, statements, rows, durationMs, notices). */
    public static final String VAR_PRE_FLIGHT_SCRIPTS = "preFlightScripts";
    /** The last checkpoint per table as JSON rows (table, checkpoint, behind). */
    public static final String VAR_CHECKPOINT_TABLES = "checkpointTables";
    /** Whether a drill found a problem (a review task follows), the problems one a line, and its checks as rows. */
    public static final String VAR_DRILL_PROBLEM_FOUND = "drillProblemFound";
    public static final String VAR_DRILL_PROBLEMS = "drillProblems";
    public static final String VAR_DRILL_CHECKS = "drillChecks";
    public static final String REVIEW_DRILL = "UserTask_ReviewDrillFindings";
    /** Why a DBA declined (required with a decline). */
    public static final String VAR_DECISION_NOTE = "decisionNote";
    public static final String VAR_AUTO_APPROVED = "autoApproved";
    /** Approval form output. */
    public static final String VAR_APPROVED = "approved";
    public static final String VAR_FENCED = "fenced";
    public static final String VAR_FENCE_DETAIL = "fenceDetail";
    /** Set by the fence step: no method confirmed, but the writers may, after they were told to reconnect. */
    public static final String VAR_WRITERS_PENDING = "writersPending";
    /** Set by the reconnect step: the writers were to confirm the fence and not all of them did. */
    public static final String VAR_WRITERS_UNCONFIRMED = "writersUnconfirmed";
    /** Input of each script step: which preparation script to run. */
    public static final String VAR_SCRIPT = "script";
    public static final String VAR_ALL_MOVED = "allConsumersMoved";
    public static final String VAR_NOT_MOVED = "consumersNotMoved";
    /** A verification's look found consumers missing and its timeout has not passed: look again. */
    public static final String VAR_VERIFY_WAITING = "verifyWaiting";
    /** When the current verification round gives up (set by its first look, removed by its last). */
    public static final String VAR_VERIFY_DEADLINE = "verifyDeadline";
    /** ISO-8601 duration of the poll timer between two looks. */
    public static final String VAR_VERIFY_POLL = "verifyPollInterval";

    public static final String MODE_UNPLANNED = "unplanned";
    public static final String MODE_PLANNED = "planned";
    public static final String MODE_DRILL = "drill";

    private DatabaseFailoverProcess() {
    }

    public static String businessKey(long operationId) {
        return "failover-" + operationId;
    }
}
