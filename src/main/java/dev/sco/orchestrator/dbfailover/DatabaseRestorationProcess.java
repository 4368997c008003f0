package dev.sco.orchestrator.dbfailover;

/** Names shared by {@code processes/database-restoration.bpmn}, its delegates and tests. */
public final class DatabaseRestorationProcess {

    public static final String KEY = "databaseRestorationProcess";

    public static final String START = "StartEvent_RestorationRequested";
    public static final String REPAIR_PRIMARY = "UserTask_RepairPrimary";
    public static final String IN_TIME_GATEWAY = "Gateway_RepairedInTime";
    public static final String FENCE_FAILOVER = "ServiceTask_FenceFailoverDatabase";
    public static final String BACKUP = "ServiceTask_BackupFailoverDatabase";
    public static final String COPY_BACK = "ServiceTask_CopyBackToPrimary";
    public static final String POST_CLONE_CHECK = "CallActivity_PostCloneCheck";
    public static final String UNFENCE_PRIMARY = "ServiceTask_UnfencePrimary";
    public static final String SWITCH_JOBS = "ServiceTask_SwitchJobsToPrimary";
    public static final String REPOINT = "ServiceTask_RepointToPrimary";
    public static final String RECONNECT = "ServiceTask_ReconnectToPrimary";
    public static final String VERIFY = "ServiceTask_VerifyOnPrimary";
    public static final String VERIFIED_GATEWAY = "Gateway_AllOnPrimary";
    public static final String MOVE_REMAINING = "UserTask_MoveRemainingToPrimary";
    public static final String VERIFY_AGAIN = "ServiceTask_VerifyOnPrimaryAgain";
    public static final String REINSTALL_SYNC = "ServiceTask_ReinstallSync";
    public static final String TEST_AND_VERIFY = "UserTask_TestAndVerify";
    public static final String RECORD_RESTORED = "ServiceTask_RecordRestored";
    public static final String END_RESTORED = "EndEvent_Restored";

    public static final String VAR_REPAIRED_IN_TIME = "repairedInTime";
    public static final String VAR_NEXT_SYNC_AT = "nextSyncWouldHaveRunAt";
    public static final String VAR_INSTANCE = "instance";
    public static final String VAR_CLONE_ID = "cloneId";
    public static final String VAR_COMPLETED_AT = "completedAt";

    private DatabaseRestorationProcess() {
    }

    public static String businessKey(long operationId) {
        return "restoration-" + operationId;
    }
}
