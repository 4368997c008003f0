package dev.sco.orchestrator.platform.rails;

import java.util.List;

/**
 * What a process accepts from a caller who starts it by hand (engine REST API, Tasklist start
 * form). One bean per process key; a process without one cannot be started by hand at all.
 * <p>
 * {@link #check} runs before the engine is asked to start anything, so a refusal (400 naming the
 * variable) leaves no instance behind. Variables that only the orchestrator itself sets (operation
 * ids, who requested, outage ids) are never accepted from a caller: list the accepted names in
 * {@link #accepted()}.
 */
public interface StartRules {

    String processKey();

    /** Groups allowed to start the process by hand; empty: only the orchestrator starts it. */
    List<String> startingGroups();

    /** The start variables a caller may send; any other name is refused. */
    List<String> accepted();

    /** Checks the variables (already limited to {@link #accepted()}); throws {@code BadRequest} naming one. */
    void check(StartVariables variables);
}
