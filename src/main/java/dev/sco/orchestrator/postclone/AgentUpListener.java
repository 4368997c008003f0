package dev.sco.orchestrator.postclone;

import dev.sco.orchestrator.estate.AgentStatus;
import dev.sco.orchestrator.estate.AgentStatusChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The status rule of S1, run synchronously inside the transaction that recorded the status change:
 * either the status and the resolutions are both written, or neither is.
 */
@Component
class AgentUpListener {

    private final PostCloneService service;

    AgentUpListener(PostCloneService service) {
        this.service = service;
    }

    @EventListener
    void onStatusChange(AgentStatusChanged change) {
        if (change.previous() == AgentStatus.DOWN && change.current() == AgentStatus.UP) {
            service.agentCameUp(change.agent());
        }
    }
}
