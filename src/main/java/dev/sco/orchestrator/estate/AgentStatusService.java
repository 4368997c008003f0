package dev.sco.orchestrator.estate;

import java.time.Clock;
import java.time.Instant;

import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one way an agent's status changes. The row is locked while the transition is decided, so
 * two concurrent reports of Up after Down yield exactly one change (and one event).
 */
@Service
public class AgentStatusService {

    private final AgentRepository agents;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AgentStatusService(AgentRepository agents, ApplicationEventPublisher events, Clock clock) {
        this.agents = agents;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Stores {@code newStatus} for the agent. When it differs from the stored one, also stores
     * the time of the change and publishes {@link AgentStatusChanged} within this transaction;
     * otherwise writes nothing.
     *
     * @throws NotFound when no agent has that name
     */
    @Transactional
    public AgentStatusTransition changeStatus(String agent, AgentStatus newStatus) {
        AgentRepository.LockedStatus stored = agents.lockStatus(agent)
                .orElseThrow(() -> new NotFound("name", "No agent named " + agent));
        if (stored.status() == newStatus) {
            return new AgentStatusTransition(agent, stored.status(), newStatus, false, stored.since());
        }
        Instant now = Sql.now(clock);
        agents.updateStatus(agent, newStatus, now);
        events.publishEvent(new AgentStatusChanged(agent, stored.status(), newStatus, now));
        return new AgentStatusTransition(agent, stored.status(), newStatus, true, now);
    }
}
