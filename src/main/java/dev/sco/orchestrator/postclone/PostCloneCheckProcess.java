package dev.sco.orchestrator.postclone;

/** Names shared by {@code processes/post-clone-check.bpmn}, its delegates and tests. */
public final class PostCloneCheckProcess {

    public static final String KEY = "postCloneCheckProcess";

    public static final String START = "StartEvent_CloneReported";
    public static final String CAPTURE_SNAPSHOT = "ServiceTask_CaptureSnapshot";
    public static final String TIMER_FIRST_CHECK = "Timer_FirstCheck";
    public static final String FIRST_CHECK = "ServiceTask_FirstCheck";
    public static final String TIMER_SECOND_CHECK = "Timer_SecondCheck";
    public static final String SECOND_CHECK = "ServiceTask_SecondCheck";
    public static final String END = "EndEvent_ChecksDone";

    /** Start variables: the clone's id (also the business key), target instance and completion time. */
    public static final String VAR_CLONE_ID = "cloneId";
    public static final String VAR_INSTANCE = "instance";
    public static final String VAR_COMPLETED_AT = "completedAt";
    /** Who reported the clone (the API user), kept with the operation. */
    public static final String VAR_REPORTED_BY = "reportedBy";
    /** Set by the snapshot step: due dates of the two checks, computed from completedAt. */
    public static final String VAR_FIRST_CHECK_AT = "firstCheckAt";
    public static final String VAR_SECOND_CHECK_AT = "secondCheckAt";
    public static final String VAR_SNAPSHOT_SIZE = "snapshotSize";
    /** Input of each check step (1 or 2); output: how many snapshot agents were down. */
    public static final String VAR_CHECK_NUMBER = "checkNumber";
    public static final String VAR_AGENTS_DOWN = "agentsDown";

    private PostCloneCheckProcess() {
    }
}
