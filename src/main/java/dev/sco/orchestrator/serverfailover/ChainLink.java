package dev.sco.orchestrator.serverfailover;

import java.util.List;

import dev.sco.orchestrator.estate.ServerStatus;

/**
 * One server of a chain. {@code failedOver}: its work is on its standby since a failover that
 * has not ended (it is skipped even when it reports again, until operators fail back).
 */
record ChainLink(String server, ServerStatus status, boolean failedOver) {

    boolean live() {
        return status == ServerStatus.UP && !failedOver;
    }

    /** The first live server of the chain, or null when none is. */
    static String firstLive(List<ChainLink> chain) {
        return chain.stream().filter(ChainLink::live).map(ChainLink::server).findFirst().orElse(null);
    }

    /** {@code GET /api/agents/{name}/chain}: the agent's management servers in order and the one to use now. */
    record AgentChain(String agent, List<ChainLink> chain, String target) {
    }

    /** {@code GET /api/servers/{name}/forwarding-chain}: the top-tier targets in order and the one to use now. */
    record ForwardingChain(String server, List<ChainLink> chain, String target) {
    }
}
