package dev.sco.orchestrator.sync;

import java.util.Arrays;

/** How a table is copied in a run. */
enum TableKind {
    /** A foreign-key family member: rows up to the run's checkpoint, re-reading the overlap. */
    REFERENCED("referenced"),
    /** Configuration: replaced whole every run. */
    NON_REFERENCED("non-referenced"),
    /** Range partitions: missing partitions are created on the target, then rows are copied like referenced ones. */
    PARTITIONED("partitioned"),
    /** Rows updated in place: changed rows replace their older version, matched by the primary key. */
    LOOKUP("lookup");

    private final String label;

    TableKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    boolean incremental() {
        return this != NON_REFERENCED;
    }

    static TableKind parse(String value) {
        return Arrays.stream(values()).filter(k -> k.label.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown table kind '" + value
                        + "' (referenced, non-referenced, partitioned or lookup)"));
    }
}
