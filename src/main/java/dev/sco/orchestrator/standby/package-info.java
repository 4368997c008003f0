/**
 * S4 hot standby hub pairs: the standby watch (a Quartz sensor) that keeps the standby's
 * information base in step and promotes it when the acting hub is lost, the takeover process
 * ({@code hubTakeoverProcess}), the event sink, and where components should connect.
 */
package dev.sco.orchestrator.standby;
