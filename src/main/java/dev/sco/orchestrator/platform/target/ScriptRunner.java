package dev.sco.orchestrator.platform.target;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Runs the operational scripts of {@code sql/scripts/} by name on a registered target database,
 * each in one transaction, with a dry-run mode that runs everything and rolls back.
 */
@Component
public class ScriptRunner {

    private final TargetDatabases targets;

    public ScriptRunner(TargetDatabases targets) {
        this.targets = targets;
    }

    /**
     * @throws IllegalArgumentException  bad script name
     * @throws UnknownScriptException    no such script
     * @throws UnknownDatabaseException  no such target database
     * @throws ScriptFailedException     a statement failed; nothing of the script remains
     */
    public ScriptRun run(String database, String script, boolean dryRun) {
        return run(database, script, Map.of(), dryRun);
    }

    /** As {@link #run(String, String, boolean)}, with values the script reads as {@code current_setting('sco.<key>')}. */
    public ScriptRun run(String database, String script, Map<String, String> parameters, boolean dryRun) {
        SqlScript sql = SqlScript.operational(script);
        return ScriptExecutor.execute(targets.dataSource(database), database, sql, parameters, dryRun);
    }

    /** Runs the scripts in order in one transaction and rolls everything back: a pre-flight of a sequence. */
    public List<ScriptRun> dryRunSequence(String database, List<String> scriptNames) {
        return dryRunSequence(database, scriptNames, Map.of());
    }

    /** As {@link #dryRunSequence(String, List)}, with values every script of the sequence reads. */
    public List<ScriptRun> dryRunSequence(String database, List<String> scriptNames, Map<String, String> parameters) {
        List<SqlScript> sequence = scriptNames.stream().map(SqlScript::operational).toList();
        return ScriptExecutor.executeAll(targets.dataSource(database), database, sequence, parameters, true);
    }

    public boolean exists(String script) {
        try {
            SqlScript.operational(script);
            return true;
        } catch (IllegalArgumentException | UnknownScriptException e) {
            return false;
        }
    }
}
