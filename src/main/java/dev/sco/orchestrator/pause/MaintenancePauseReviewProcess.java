package dev.sco.orchestrator.pause;

/** Names shared by {@code processes/maintenance-pause-review.bpmn}, its listener and tests. */
public final class MaintenancePauseReviewProcess {

    public static final String KEY = "maintenancePauseReviewProcess";

    public static final String START = "StartEvent_PauseEndedUnhealthy";
    public static final String REVIEW_TARGET = "UserTask_ReviewTargetAfterPause";
    public static final String END = "EndEvent_TargetReviewed";

    public static final String VAR_PAUSE_ID = "pauseId";
    public static final String VAR_TARGET_KIND = "targetKind";
    public static final String VAR_TARGET_NAME = "targetName";
    public static final String VAR_PAUSE_REASON = "pauseReason";
    public static final String VAR_PAUSED_BY = "pausedBy";
    public static final String VAR_PAUSED_UNTIL = "pausedUntil";
    public static final String VAR_ENDED = "pauseEnded";
    public static final String VAR_HEALTH_AT_END = "healthAtEnd";
    /** Form field of the review: what the operator found or did (required). */
    public static final String VAR_REVIEW_NOTE = "reviewNote";

    private MaintenancePauseReviewProcess() {
    }

    public static String businessKey(long pauseId) {
        return "maintenance-pause-" + pauseId;
    }
}
