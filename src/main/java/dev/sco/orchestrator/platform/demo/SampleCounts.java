package dev.sco.orchestrator.platform.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/** Rows one {@link SampleDataGenerator} call inserted, per table. */
public record SampleCounts(long ruleConfigs, long computers, long computerLookups, long alerts, long alertHistory,
                           long alertEvents, long events, long eventParameters, long samples) {

    public Map<String, Long> byTable() {
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("rule_config", ruleConfigs);
        rows.put("computer", computers);
        rows.put("computer_lookup", computerLookups);
        rows.put("alert", alerts);
        rows.put("alert_history", alertHistory);
        rows.put("alert_event", alertEvents);
        rows.put("event", events);
        rows.put("event_parameter", eventParameters);
        rows.put("sample_numeric", samples);
        return rows;
    }

    public long total() {
        return byTable().values().stream().mapToLong(Long::longValue).sum();
    }
}
