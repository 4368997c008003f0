package dev.sco.orchestrator.platform.target;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link SqlScript} on one connection in one transaction and reports each statement.
 * <p>
 * Scripts take values only through the parameters they declare ({@link SqlScript}): each is bound with
 * {@code set_config('sco.<name>', value, true)} for the transaction, and the script reads it with
 * {@code current_setting('sco.<name>')} (which also works inside DO blocks, where bind markers
 * cannot reach). The text of a script is never altered.
 */
public final class ScriptExecutor {

    /** Prefix of the transaction-local settings that carry script parameters. */
    public static final String PARAMETER_PREFIX = "sco.";

    private static final Logger log = LoggerFactory.getLogger(ScriptExecutor.class);

    /** A leading {@code SET TRANSACTION ...}: it must run before any query of the transaction. */
    private static final Pattern TRANSACTION_MODE = Pattern.compile("(?is)^set\\s+transaction\\b.*");

    private ScriptExecutor() {
    }

    /**
     * @param database label of the target for logs and errors
     * @param dryRun   run every statement, then roll back (a pre-flight check)
     * @throws ScriptFailedException after rolling back, when a statement fails
     */
    public static ScriptRun execute(DataSource dataSource, String database, SqlScript script,
                                    Map<String, String> parameters, boolean dryRun) {
        return executeAll(dataSource, database, List.of(script), parameters, dryRun).get(0);
    }

    /**
     * Runs several scripts one after the other in ONE transaction, so a later script sees what an
     * earlier one did; with {@code dryRun} everything is rolled back at the end (the pre-flight of
     * a sequence whose steps depend on each other).
     */
    public static List<ScriptRun> executeAll(DataSource dataSource, String database, List<SqlScript> scripts,
                                             Map<String, String> parameters, boolean dryRun) {
        parameters.keySet().forEach(SqlIdentifiers::requireValid);
        scripts.forEach(script -> script.checkParameters(parameters));
        List<ScriptRun> runs = new ArrayList<>();
        String label = scripts.stream().map(SqlScript::name).reduce((a, b) -> a + "+" + b).orElse("");
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                // Parameters are bound just before the first statement that is not a transaction mode.
                boolean[] bound = {parameters.isEmpty()};
                for (SqlScript script : scripts) {
                    runs.add(runStatements(connection, database, script, dryRun, parameters, bound));
                }
                if (dryRun) {
                    connection.rollback();
                } else {
                    connection.commit();
                }
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new TargetDatabaseException("Script " + label + " on " + database + ": " + e.getMessage(), e);
        }
        for (ScriptRun run : runs) {
            log.info("Script {} on {} {}: {} statements, {} rows, {} ms", run.script(), database,
                    dryRun ? "dry run rolled back" : "committed", run.statements().size(), run.totalRows(),
                    run.duration().toMillis());
        }
        return List.copyOf(runs);
    }

    private static ScriptRun runStatements(Connection connection, String database, SqlScript script, boolean dryRun,
                                           Map<String, String> parameters, boolean[] bound) throws SQLException {
        long started = System.nanoTime();
        List<StatementResult> results = new ArrayList<>();
        List<String> statements = script.statements();
        for (int i = 0; i < statements.size(); i++) {
            String sql = statements.get(i);
            if (!bound[0] && !TRANSACTION_MODE.matcher(sql).matches()) {
                // set_config is a query: after it PostgreSQL refuses to change the transaction's
                // mode, and a fenced database's transactions start read-only (see unfence.sql).
                bind(connection, parameters);
                bound[0] = true;
            }
            try {
                results.add(executeOne(connection, i + 1, sql));
            } catch (SQLException e) {
                connection.rollback();
                log.warn("Script {} on {}: statement {}/{} failed, rolled back: {}", script.name(), database,
                        i + 1, statements.size(), e.getMessage());
                throw new ScriptFailedException(script.name(), database, i + 1, sql, e);
            }
            StatementResult result = results.get(i);
            log.info("Script {} on {}: statement {}/{} {} {} in {} ms ({}){}", script.name(), database, i + 1,
                    statements.size(), result.query() ? "returned" : "changed", result.rows(),
                    result.duration().toMillis(), result.summary(),
                    result.notices().isEmpty() ? "" : " notices: " + result.notices());
        }
        return new ScriptRun(script.name(), database, dryRun, List.copyOf(results),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static void bind(Connection connection, Map<String, String> parameters) throws SQLException {
        if (parameters.isEmpty()) {
            return;
        }
        try (PreparedStatement set = connection.prepareStatement("select set_config(?, ?, true)")) {
            for (Map.Entry<String, String> parameter : parameters.entrySet()) {
                set.setString(1, PARAMETER_PREFIX + parameter.getKey());
                set.setString(2, parameter.getValue());
                set.execute();
            }
        }
    }

    private static StatementResult executeOne(Connection connection, int index, String sql) throws SQLException {
        long started = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            boolean query = statement.execute(sql);
            long rows;
            if (query) {
                rows = 0;
                try (ResultSet rs = statement.getResultSet()) {
                    while (rs.next()) {
                        rows++;
                    }
                }
            } else {
                rows = Math.max(0, statement.getLargeUpdateCount());
            }
            return new StatementResult(index, StatementResult.summarize(sql), query, rows,
                    Duration.ofNanos(System.nanoTime() - started), notices(statement.getWarnings()));
        }
    }

    private static List<String> notices(SQLWarning warning) {
        List<String> notices = new ArrayList<>();
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            notices.add(w.getMessage());
        }
        return List.copyOf(notices);
    }
}
