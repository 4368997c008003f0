package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.platform.Groups;

/** Who may change the estate (reads are open to every authenticated user). */
final class EstateAccess {

    /** Servers, heartbeats, agents, bindings and hubs; database endpoints are for DBAs only. */
    static final String[] WRITERS = {Groups.OPERATORS, Groups.DBA, Groups.ADMIN};

    /** Heartbeats (servers, batches, hubs): also the machine accounts of {@link Groups#HEARTBEAT_SENDERS}. */
    static final String[] HEARTBEAT_WRITERS = {Groups.OPERATORS, Groups.DBA, Groups.ADMIN, Groups.HEARTBEAT_SENDERS};

    static final String[] DATABASE_WRITERS = {Groups.DBA, Groups.ADMIN};

    private EstateAccess() {
    }
}
