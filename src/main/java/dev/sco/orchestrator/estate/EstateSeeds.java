package dev.sco.orchestrator.estate;

import java.util.List;
import java.util.Optional;

import dev.sco.orchestrator.platform.target.DatabaseEndpoint;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registrations for an estate that seeds itself at start-up (the demo estate): each goes through the
 * same service, checks and repository as the REST API, and keeps what an operator changed since,
 * so a restart never undoes their work. Each returns whether it added something.
 */
@Component
public class EstateSeeds {

    private final DatabaseEndpointService databases;
    private final DatabaseEndpointRepository endpoints;
    private final ServerService servers;
    private final ServerRepository serverRows;
    private final AgentService agents;
    private final AgentRepository agentRows;
    private final HubPairService hubs;
    private final HubPairRepository hubRows;
    private final BindingService bindings;
    private final BindingRepository bindingRows;

    EstateSeeds(DatabaseEndpointService databases, DatabaseEndpointRepository endpoints, ServerService servers,
                ServerRepository serverRows, AgentService agents, AgentRepository agentRows, HubPairService hubs,
                HubPairRepository hubRows, BindingService bindings, BindingRepository bindingRows) {
        this.databases = databases;
        this.endpoints = endpoints;
        this.servers = servers;
        this.serverRows = serverRows;
        this.agents = agents;
        this.agentRows = agentRows;
        this.hubs = hubs;
        this.hubRows = hubRows;
        this.bindings = bindings;
        this.bindingRows = bindingRows;
    }

    /**
     * Registers a database; one already registered only follows {@code jdbcUrl} (an embedded
     * server gets a new port at each start), everything else stays as the operator left it. The
     * partner is paired when it is registered (register the primary first, then its failover).
     */
    @Transactional
    public boolean database(String name, String jdbcUrl, String username, String passwordEnv, String role,
                            String pairedWith, List<String> consumerRoles) {
        Optional<DatabaseEndpoint> existing = endpoints.find(name);
        if (existing.isPresent()) {
            DatabaseEndpoint e = existing.get();
            if (!e.jdbcUrl().equals(jdbcUrl)) {
                databases.put(name, new DatabaseEndpointRequest(jdbcUrl, e.username(), e.passwordEnv(),
                        DatabaseRole.of(e.role()), e.pairedWith(), e.consumerRoles()));
            }
            return false;
        }
        String partner = pairedWith != null && endpoints.find(pairedWith).isPresent() ? pairedWith : null;
        databases.put(name, new DatabaseEndpointRequest(jdbcUrl, username, passwordEnv, DatabaseRole.of(role), partner,
                consumerRoles));
        return true;
    }

    /** Registers a server unless one of that name exists; a standby is linked by {@link #standby}. */
    @Transactional
    public boolean server(String name, String kind, String site) {
        if (serverRows.exists(name)) {
            return false;
        }
        servers.put(name, new ServerRequest(ServerKind.of(kind), site, null, null));
        return true;
    }

    /** Gives a server its standby, unless it has one already (both must be registered). */
    @Transactional
    public boolean standby(String name, String standby) {
        Server server = servers.get(name);
        if (server.standby() != null) {
            return false;
        }
        servers.put(name, new ServerRequest(server.kind(), server.site(), standby, server.unresponsivePeriodSeconds()));
        return true;
    }

    /** Registers an agent (Up, managed by the first server of its chain) unless it exists. */
    @Transactional
    public boolean agent(String name, String instance, String user, String registration, List<String> chain) {
        if (agentRows.find(name).isPresent()) {
            return false;
        }
        agents.put(name, new AgentRequest(instance, user, AgentStatus.UP, AgentRegistration.of(registration),
                chain.isEmpty() ? null : chain.get(0), chain));
        return true;
    }

    /** Registers a hub pair unless it exists. */
    @Transactional
    public boolean hubPair(String name, String primary, String secondary) {
        if (hubRows.find(name).isPresent()) {
            return false;
        }
        hubs.put(name, new HubPairRequest(primary, secondary, null));
        return true;
    }

    /** Binds a consumer to a database unless it is bound already (to any). */
    @Transactional
    public boolean binding(String consumer, String database) {
        if (bindingRows.find(consumer).isPresent()) {
            return false;
        }
        bindings.put(consumer, new BindingRequest(database));
        return true;
    }
}
