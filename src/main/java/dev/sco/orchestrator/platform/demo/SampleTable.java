package dev.sco.orchestrator.platform.demo;

/**
 * A table of the sample monitored schema and how a sync treats it.
 *
 * @param kind            {@code referenced}, {@code non-referenced}, {@code partitioned} or {@code lookup}
 * @param incrementColumn the column that tells new (or changed) rows from those already copied; null for a
 *                        non-referenced table (copied whole)
 */
public record SampleTable(String name, String kind, String incrementColumn) {
}
