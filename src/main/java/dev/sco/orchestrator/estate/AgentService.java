package dev.sco.orchestrator.estate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import dev.sco.orchestrator.platform.web.PutResult;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registration of agents and their chains. A PUT that changes the status of an existing agent
 * goes through {@link AgentStatusService}, so it counts as a status report like
 * {@code PUT /api/agents/{name}/status} (same event, same rules).
 */
@Service
class AgentService {

    private final AgentRepository agents;
    private final ServerRepository servers;
    private final AgentStatusService statuses;
    private final Clock clock;

    AgentService(AgentRepository agents, ServerRepository servers, AgentStatusService statuses, Clock clock) {
        this.agents = agents;
        this.servers = servers;
        this.statuses = statuses;
        this.clock = clock;
    }

    @Transactional
    PutResult<Agent> put(String name, AgentRequest request) {
        request.validate();
        if (request.managedBy() != null && !servers.exists(request.managedBy())) {
            throw new BadRequest("managedBy", "'managedBy' names no registered server: " + request.managedBy());
        }
        List<String> chain = request.chainOrEmpty();
        Set<String> known = chain.isEmpty() ? Set.of() : servers.existing(chain);
        for (int i = 0; i < chain.size(); i++) {
            if (!known.contains(chain.get(i))) {
                throw new BadRequest("chain[" + i + "]", "'chain[" + i + "]' names no registered server: "
                        + chain.get(i));
            }
        }
        Instant now = Sql.now(clock);
        boolean created = agents.insertIfAbsent(name, request, now);
        if (!created) {
            agents.updateDescription(name, request, now);
            statuses.changeStatus(name, request.status());
        }
        agents.replaceChain(name, chain);
        return new PutResult<>(created, agents.find(name).orElseThrow());
    }

    Agent get(String name) {
        return agents.find(name).orElseThrow(() -> new NotFound("name", "No agent named " + name));
    }

    List<Agent> list(String instance) {
        return instance == null ? agents.findAll() : agents.findByInstance(Inputs.name("instance", instance));
    }
}
