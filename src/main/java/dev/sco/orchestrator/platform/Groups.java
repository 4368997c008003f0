package dev.sco.orchestrator.platform;

import java.util.List;

/** The groups the orchestrator's processes and API assign work and rights to. */
public final class Groups {

    public static final String ADMIN = "camunda-admin";
    public static final String DBA = "dba";
    public static final String OPERATORS = "operators";
    public static final String MID_ADMINS = "mid-admins";
    /**
     * Machine accounts that report heartbeats: may call only the three heartbeat endpoints and hold
     * no engine authorization, so a leaked heartbeat credential cannot start or change anything.
     */
    public static final String HEARTBEAT_SENDERS = "heartbeat-senders";

    /** Groups whose members work in Tasklist and Cockpit (the admin group holds ALL on every resource). */
    public static final List<String> WORKING_GROUPS = List.of(DBA, OPERATORS, MID_ADMINS);

    private Groups() {
    }
}
