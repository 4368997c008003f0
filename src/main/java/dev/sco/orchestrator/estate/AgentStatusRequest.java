package dev.sco.orchestrator.estate;

/** Body of {@code PUT /api/agents/{name}/status}. */
record AgentStatusRequest(AgentStatus status) {
}
