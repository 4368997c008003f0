package dev.sco.orchestrator.serverfailover;

import java.time.Instant;

/** Names shared by {@code processes/server-failover.bpmn}, its delegates and tests. */
public final class ServerFailoverProcess {

    public static final String KEY = "serverFailoverProcess";

    public static final String START = "StartEvent_ServerDown";
    public static final String STANDBY_GATEWAY = "Gateway_HasStandby";
    public static final String NO_STANDBY = "UserTask_NoStandby";
    public static final String END_NO_STANDBY = "EndEvent_NoStandby";
    public static final String MOVE_SITES_AND_JOBS = "ServiceTask_MoveSitesAndJobs";
    public static final String REREGISTER_AGENTS = "ServiceTask_ReregisterAutomaticAgents";
    public static final String TELL_STANDBY = "ServiceTask_TellStandby";
    public static final String CHECK_CHAINS = "ServiceTask_CheckChains";
    public static final String BROKEN_CHAINS_GATEWAY = "Gateway_BrokenChains";
    public static final String REPAIR_BROKEN_CHAINS = "UserTask_RepairBrokenChains";
    public static final String TELL_SERVER_BACK = "ServiceTask_TellServerBack";
    public static final String MANUAL_AGENTS_GATEWAY = "Gateway_ManualAgents";
    public static final String REGISTER_MANUAL_AGENTS = "UserTask_RegisterManualAgents";
    public static final String SERVER_BACK_ONLINE = "Event_ServerBackOnline";
    public static final String DECIDE_FAILBACK = "UserTask_DecideFailback";
    public static final String FAIL_BACK = "ServiceTask_FailBack";
    public static final String END_FAILBACK_HANDLED = "EndEvent_FailbackHandled";
    public static final String END_KEPT_ON_STANDBY = "EndEvent_KeptOnStandby";

    /** Correlated by business key when a failed-over server reports again. */
    public static final String MESSAGE_BACK_ONLINE = "ServerBackOnline";

    /** Start variables: the failed server (required), its standby (null: none), the outage. */
    public static final String VAR_SERVER = "server";
    public static final String VAR_STANDBY = "standby";
    public static final String VAR_OUTAGE_ID = "outageId";
    public static final String VAR_OUTAGE_START = "outageStart";
    /** Who started it: {@code detector}, or the engine REST caller for a failover started by hand. */
    public static final String VAR_STARTED_BY = "startedBy";
    /** Set by the steps. */
    public static final String VAR_SITES_AND_JOBS_MOVED = "sitesAndJobsMoved";
    public static final String VAR_AGENTS_MOVED = "automaticAgentsMoved";
    public static final String VAR_MANUAL_AGENTS = "manualAgents";
    public static final String VAR_MANUAL_AGENT_COUNT = "manualAgentCount";
    /** Outcome of telling the standby (failover) and the server (failback): told, not-told or no-address. */
    public static final String VAR_STANDBY_TOLD = "standbyTold";
    public static final String VAR_SERVER_TOLD = "serverToldBack";
    /** Set by the chain check: the chains through the failed server that reach no live server. */
    public static final String VAR_BROKEN_CHAINS = "brokenChains";
    public static final String VAR_BROKEN_CHAIN_COUNT = "brokenChainCount";
    /** Every manual agent as JSON rows ({@code agent}), for the task form's table. */
    public static final String VAR_MANUAL_AGENT_ROWS = "manualAgentRows";
    /** Form outcome of the failback decision. */
    public static final String VAR_FAILBACK_DECISION = "failbackDecision";
    public static final String FAILBACK = "failBack";
    public static final String STAY_ON_STANDBY = "stayOnStandby";
    public static final String VAR_FAILED_BACK = "failedBack";

    private ServerFailoverProcess() {
    }

    /** One failover per outage: the server and when its outage began. */
    public static String businessKey(String server, Instant outageStart) {
        return server + "@" + outageStart;
    }
}
