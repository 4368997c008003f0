package dev.sco.orchestrator.platform.target;

/** No endpoint of that name is registered in {@code database_endpoint}. */
public class UnknownDatabaseException extends RuntimeException {

    private final String database;

    public UnknownDatabaseException(String database) {
        super("No target database named '" + database + "' is registered");
        this.database = database;
    }

    public String database() {
        return database;
    }
}
