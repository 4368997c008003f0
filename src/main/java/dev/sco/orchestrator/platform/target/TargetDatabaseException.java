package dev.sco.orchestrator.platform.target;

/** A registered target database cannot be used as configured (e.g. its password variable is not set). */
public class TargetDatabaseException extends RuntimeException {

    public TargetDatabaseException(String message) {
        super(message);
    }

    public TargetDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
