package dev.sco.orchestrator.serverfailover;

import java.util.List;

import dev.sco.orchestrator.estate.ServerRepository;
import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Chains of agents and servers, and the failover record of each server. */
@RestController
class ServerFailoverController {

    private static final String[] WRITERS = {Groups.OPERATORS, Groups.DBA, Groups.ADMIN};

    private final ChainService chains;
    private final ServerFailoverService failovers;
    private final ServerRepository servers;

    ServerFailoverController(ChainService chains, ServerFailoverService failovers, ServerRepository servers) {
        this.chains = chains;
        this.failovers = failovers;
        this.servers = servers;
    }

    @GetMapping("/api/agents/{name}/chain")
    ChainLink.AgentChain agentChain(@PathVariable String name) {
        return chains.agentChain(Inputs.name("name", name));
    }

    @GetMapping("/api/servers/{name}/forwarding-chain")
    ChainLink.ForwardingChain forwardingChain(@PathVariable String name) {
        return chains.forwardingChain(Inputs.name("name", name));
    }

    @PutMapping("/api/servers/{name}/forwarding-chain")
    ChainLink.ForwardingChain putForwardingChain(@PathVariable String name, @RequestBody ForwardingChainRequest body,
                                                 ApiUser user) {
        Access.requireAny(user, WRITERS);
        return chains.putForwardingChain(Inputs.name("name", name), Inputs.required("body", body));
    }

    /** The server's outages the detector (or an operator) acted on, newest first. */
    @GetMapping("/api/servers/{name}/failovers")
    List<Outage> failovers(@PathVariable String name, @RequestParam(defaultValue = "50") int limit) {
        Inputs.name("name", name);
        Inputs.range("limit", limit, 1, 1_000);
        if (!servers.exists(name)) {
            throw new NotFound("name", "No server named " + name);
        }
        return failovers.outagesOf(name, limit);
    }

    /** What the management servers were told after this outage's failover and failback, one row per direction. */
    @GetMapping("/api/servers/{name}/failovers/{id}/callouts")
    List<AssignmentRepository.Callout> callouts(@PathVariable String name, @PathVariable long id) {
        Inputs.name("name", name);
        if (!failovers.isOutageOf(name, id)) {
            throw new NotFound("id", "Server " + name + " has no failover " + id);
        }
        return failovers.callouts(id);
    }
}
