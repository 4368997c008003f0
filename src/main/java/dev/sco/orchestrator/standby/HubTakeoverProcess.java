package dev.sco.orchestrator.standby;

import java.time.Instant;

/** Names shared by {@code processes/hub-takeover.bpmn}, its delegates and tests. */
public final class HubTakeoverProcess {

    public static final String KEY = "hubTakeoverProcess";

    public static final String START = "StartEvent_StandbyPromoted";
    public static final String EMIT_MASTER_RESET = "ServiceTask_EmitMasterReset";
    public static final String REEVALUATE_SITUATIONS = "ServiceTask_ReevaluateSituations";
    public static final String RESTART_POLICIES = "ServiceTask_RestartPolicies";
    public static final String RECONFIGURE_PORTAL = "UserTask_ReconfigurePortal";
    public static final String END = "EndEvent_PortalReconfigured";
    public static final String PORTAL_REMINDER = "Boundary_PortalReminder";
    public static final String REMIND_OPERATORS = "ServiceTask_RemindOperators";
    public static final String END_REMINDER = "EndEvent_ReminderSent";

    /** Start variables: the pair, the hub promoted to acting, and the hub that was lost. */
    public static final String VAR_PAIR = "pair";
    public static final String VAR_NEW_ACTING_HUB = "newActingHub";
    public static final String VAR_PREVIOUS_ACTING_HUB = "previousActingHub";
    public static final String VAR_TAKEOVER_AT = "takeoverAt";
    /** Whether the promoted standby had caught up with the lost hub's information base. */
    public static final String VAR_STANDBY_WAS_SYNCHRONISED = "standbyWasSynchronised";
    /** Results of the steps. */
    public static final String VAR_MASTER_RESET_EVENT_ID = "masterResetEventId";
    public static final String VAR_WEBHOOK_STATUS = "webhookStatus";
    public static final String VAR_SITUATIONS_MARKED = "situationsMarked";
    public static final String VAR_POLICIES_RESTARTED = "policiesRestarted";
    /** Form of the operator task: the required tick, and who gave it. */
    public static final String VAR_PORTAL_RECONFIGURED = "portalReconfigured";
    public static final String VAR_PORTAL_RECONFIGURED_BY = "portalReconfiguredBy";

    /** Kinds of events in the event sink. */
    public static final String EVENT_MASTER_RESET = "master-reset";
    public static final String EVENT_PORTAL_REMINDER = "portal-reminder";

    private HubTakeoverProcess() {
    }

    /** One takeover of one pair: the pair and the moment of the promotion. */
    public static String businessKey(String pair, Instant at) {
        return pair + "@" + at;
    }
}
