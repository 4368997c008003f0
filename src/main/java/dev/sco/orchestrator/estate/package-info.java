/**
 * The estate: what the orchestrator knows about the systems it protects (database endpoints,
 * servers and their heartbeats, agents and their chains, consumer bindings, hub pairs) and the
 * REST API that maintains it. Other features read it through the public records and
 * repositories here and react to agent status changes through {@link dev.sco.orchestrator.estate.AgentStatusChanged}.
 */
package dev.sco.orchestrator.estate;
