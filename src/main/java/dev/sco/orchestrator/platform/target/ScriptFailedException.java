package dev.sco.orchestrator.platform.target;

/** A statement of a script failed; the whole script was rolled back. */
public class ScriptFailedException extends RuntimeException {

    private final String script;
    private final String database;
    private final int statementIndex;

    public ScriptFailedException(String script, String database, int statementIndex, String statement, Throwable cause) {
        super("Script " + script + " on " + database + " failed at statement " + statementIndex + " ("
                + StatementResult.summarize(statement) + "): " + cause.getMessage() + "; rolled back", cause);
        this.script = script;
        this.database = database;
        this.statementIndex = statementIndex;
    }

    public String script() {
        return script;
    }

    public String database() {
        return database;
    }

    /** 1-based position of the failing statement in the script. */
    public int statementIndex() {
        return statementIndex;
    }
}
