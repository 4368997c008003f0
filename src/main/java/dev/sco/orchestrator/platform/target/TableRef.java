package dev.sco.orchestrator.platform.target;

/** A schema-qualified table whose parts are valid identifiers (checked when built). */
public record TableRef(String schema, String name) {

    public TableRef {
        SqlIdentifiers.requireValid(schema);
        SqlIdentifiers.requireValid(name);
    }

    public static TableRef of(String schema, String name) {
        return new TableRef(schema, name);
    }

    /** {@code "schema"."name"}, ready for SQL text. */
    public String quoted() {
        return SqlIdentifiers.qualified(schema, name);
    }

    @Override
    public String toString() {
        return schema + '.' + name;
    }
}
