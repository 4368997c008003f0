package dev.sco.orchestrator.platform.target;

/** No script of that name exists under {@code sql/scripts/}. */
public class UnknownScriptException extends RuntimeException {

    private final String script;

    public UnknownScriptException(String script) {
        super("No SQL script named '" + script + "'");
        this.script = script;
    }

    public String script() {
        return script;
    }
}
