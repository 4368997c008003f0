package dev.sco.orchestrator.platform.forms;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.ObjectValue;

/**
 * Structured process variables for the Camunda Forms: a list of rows (each a map of column to
 * value) stored as JSON, which a form's table component shows with one row per entry.
 */
public final class FormVariables {

    private FormVariables() {
    }

    /** Rows for a form table; the maps should keep their column order (LinkedHashMap). */
    public static ObjectValue rows(List<? extends Map<String, ?>> rows) {
        return Variables.objectValue(List.copyOf(rows)).serializationDataFormat(JsonValueSerializer.FORMAT).create();
    }
}
