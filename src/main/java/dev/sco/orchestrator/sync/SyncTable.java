package dev.sco.orchestrator.sync;

import dev.sco.orchestrator.platform.target.TableRef;

/** A synchronised table, its kind and the column whose value tells rows already copied from new ones. */
record SyncTable(TableRef table, TableKind kind, String incrementColumn) {

    String name() {
        return table.name();
    }
}
