package dev.sco.orchestrator.sync;

/** A primary database and the failover database it is synchronised to; named by the primary. */
record SyncPair(String primary, String failover) {
}
