package dev.sco.orchestrator.platform.forms;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.camunda.bpm.engine.impl.variable.serializer.AbstractObjectValueSerializer;

/**
 * Stores lists and maps of plain values as object variables in the {@code application/json}
 * format, so that Camunda Forms in Tasklist receive them as JSON (tables, lists) rather than as
 * one squeezed line. Only lists and maps are written; whatever type name a stored or submitted
 * value claims, it is read back as plain lists, maps, text, numbers and booleans, never as an
 * arbitrary Java class.
 */
final class JsonValueSerializer extends AbstractObjectValueSerializer {

    static final String FORMAT = "application/json";

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    JsonValueSerializer() {
        super(FORMAT);
    }

    @Override
    public String getName() {
        return "sco-json";
    }

    @Override
    protected String getTypeNameForDeserialized(Object deserializedObject) {
        return deserializedObject instanceof Map ? Map.class.getName() : List.class.getName();
    }

    @Override
    protected byte[] serializeToByteArray(Object deserializedObject) throws Exception {
        return json.writeValueAsBytes(deserializedObject);
    }

    @Override
    protected Object deserializeFromByteArray(byte[] object, String objectTypeName) throws Exception {
        return json.readValue(object, Object.class);
    }

    @Override
    protected boolean isSerializationTextBased() {
        return true;
    }

    @Override
    protected boolean canSerializeValue(Object value) {
        return value instanceof List || value instanceof Map;
    }
}
