package dev.sco.orchestrator.platform.continuity;

import java.util.List;
import java.util.Optional;

/**
 * What a pair synchronises: its application schema and tables, kept by the sync feature in the
 * orchestrator database. The one source for sync, the failover preparation scripts (their
 * {@code schema} parameter), restoration's copy back and the KPIs. Set through
 * {@code PUT /api/sync/{database}/tables}; the demo estate registers its own at start-up.
 */
public interface PairTables {

    /** One table: {@code kind} is referenced, non-referenced, partitioned or lookup. */
    record Table(String name, String kind, String incrementColumn, boolean kpi) {
    }

    /** The tables of a pair, in copy order (parents before children), all in {@code schema}. */
    record TableList(String schema, List<Table> tables) {
        public TableList {
            tables = List.copyOf(tables);
        }

        /** The table the KPI "handled on the failover database" counts, if one is marked. */
        public Optional<Table> kpiTable() {
            return tables.stream().filter(Table::kpi).findFirst();
        }
    }

    /** The pair's tables; empty when none were registered for it. */
    Optional<TableList> of(String primary);

    /** As {@link #of}, refusing (with a message naming the pair and how to register) when none are. */
    default TableList required(String primary) {
        return of(primary).orElseThrow(() -> new IllegalStateException("No tables are registered for the sync of '"
                + primary + "': PUT /api/sync/" + primary + "/tables first"));
    }

    /**
     * Registers the list when the pair has none yet (start-up seeds: the demo estate, settings);
     * its shape is checked, its tables are checked against the primary at each run. Returns
     * whether it was written.
     */
    boolean seed(String primary, TableList tables, String by);
}
