package dev.sco.orchestrator.sync;

import dev.sco.orchestrator.platform.target.TableRef;

/**
 * A synchronised table, its kind and the column whose value tells rows already copied from new
 * ones ({@code null} for a non-referenced table, copied whole); {@code kpi}: the KPI "handled on
 * the failover database" counts its rows.
 */
record SyncTable(TableRef table, TableKind kind, String incrementColumn, boolean kpi) {

    SyncTable(TableRef table, TableKind kind, String incrementColumn) {
        this(table, kind, incrementColumn, false);
    }

    String name() {
        return table.name();
    }
}
