package dev.sco.orchestrator.serverfailover;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.sco.orchestrator.estate.ServerRepository;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Serves the chains (S3): each answer is the chain in order with each server's liveness, and the
 * first live server. A server that failed over is skipped until it fails back.
 */
@Service
class ChainService {

    private final ChainRepository chains;
    private final ServerRepository servers;
    private final Clock clock;

    ChainService(ChainRepository chains, ServerRepository servers, Clock clock) {
        this.chains = chains;
        this.servers = servers;
        this.clock = clock;
    }

    ChainLink.AgentChain agentChain(String agent) {
        if (!chains.agentExists(agent)) {
            throw new NotFound("name", "No agent named " + agent);
        }
        List<ChainLink> chain = chains.agentChain(agent, now());
        return new ChainLink.AgentChain(agent, chain, ChainLink.firstLive(chain));
    }

    ChainLink.ForwardingChain forwardingChain(String server) {
        if (!servers.exists(server)) {
            throw new NotFound("name", "No server named " + server);
        }
        List<ChainLink> chain = chains.forwardingChain(server, now());
        return new ChainLink.ForwardingChain(server, chain, ChainLink.firstLive(chain));
    }

    @Transactional
    ChainLink.ForwardingChain putForwardingChain(String server, ForwardingChainRequest request) {
        List<String> targets = request.validate(server);
        if (!servers.exists(server)) {
            throw new NotFound("name", "No server named " + server);
        }
        chains.lockChains();
        for (int i = 0; i < targets.size(); i++) {
            if (!servers.exists(targets.get(i))) {
                throw new BadRequest("targets[" + i + "]", "'targets[" + i + "]' names no registered server: "
                        + targets.get(i));
            }
        }
        Set<String> cycles = targets.isEmpty() ? Set.of() : chains.reaching(server, targets);
        for (int i = 0; i < targets.size(); i++) {
            if (cycles.contains(targets.get(i))) {
                throw new BadRequest("targets[" + i + "]", "'targets[" + i + "]' (" + targets.get(i)
                        + ") forwards, directly or through others, back to " + server + ": that would be a cycle");
            }
        }
        chains.replaceForwardingChain(server, targets);
        return forwardingChain(server);
    }

    private Instant now() {
        return clock.instant();
    }
}
