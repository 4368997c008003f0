package dev.sco.orchestrator.postclone;

/** Names shared by {@code processes/agent-issue.bpmn}, its delegates and tests. */
public final class AgentIssueProcess {

    public static final String KEY = "agentIssueProcess";

    public static final String START = "StartEvent_IssueOpened";
    public static final String VERIFY_CREDENTIALS = "UserTask_VerifyCredentials";
    public static final String OUTCOME_GATEWAY = "Gateway_CredentialsOutcome";
    public static final String RECHECK_AGENT = "ServiceTask_RecheckAgent";
    public static final String AGENT_UP_GATEWAY = "Gateway_AgentUpAgain";
    public static final String RECORD_NOTE = "ServiceTask_RecordNote";
    public static final String CONSULT_KNOWLEDGE_BASE = "UserTask_ConsultKnowledgeBase";
    public static final String END_FIXED = "EndEvent_FixedByOperator";
    public static final String END_ESCALATED = "EndEvent_Escalated";
    public static final String RESOLVED_START = "StartEvent_IssueResolved";
    public static final String END_RESOLVED = "EndEvent_ResolvedByStatus";

    /** Correlated with business key {@link #businessKey(long)} when the status rule resolves the issue. */
    public static final String MESSAGE_RESOLVED = "AgentIssueResolved";

    public static final String VAR_ISSUE_ID = "issueId";
    public static final String VAR_AGENT = "agent";
    public static final String VAR_USER = "agentUser";
    public static final String VAR_MESSAGE = "issueMessage";
    /** Form outcome of the verify task: {@link #OUTCOME_FIXED} or {@link #OUTCOME_STILL_DOWN}. */
    public static final String VAR_OUTCOME = "outcome";
    public static final String OUTCOME_FIXED = "fixed";
    public static final String OUTCOME_STILL_DOWN = "stillDown";
    public static final String VAR_NOTE = "note";
    public static final String VAR_AGENT_UP = "agentUp";

    private AgentIssueProcess() {
    }

    public static String businessKey(long issueId) {
        return "agent-issue-" + issueId;
    }
}
