package dev.sco.orchestrator.platform.target;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.io.ClassPathResource;

/**
 * A SQL file from the classpath, split into statements. SQL only ever comes from such files:
 * operational scripts are looked up by name under {@code sql/scripts/}.
 * <p>
 * A script declares the parameters it reads with comment lines {@code -- @param <name>} (required)
 * or {@code -- @param <name> optional}. The declaration is checked before anything runs, because
 * {@code current_setting} of a parameter a session saw earlier quietly answers '' instead of failing.
 */
public record SqlScript(String name, List<String> statements, Set<String> requiredParameters,
                        Set<String> optionalParameters) {

    public static final String SCRIPTS_LOCATION = "sql/scripts/";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** Statements that would end the single transaction a script runs in. */
    private static final Pattern TRANSACTION_CONTROL = Pattern.compile(
            "(?is)^(begin|commit|rollback|abort|end|start\\s+transaction|prepare\\s+transaction)\\b.*");

    private static final Pattern PARAMETER = Pattern.compile("(?m)^--\\s*@param\\s+(\\S+)(\\s+optional)?\\s*$");

    public SqlScript {
        statements = List.copyOf(statements);
        requiredParameters = Set.copyOf(requiredParameters);
        optionalParameters = Set.copyOf(optionalParameters);
        for (String statement : statements) {
            if (TRANSACTION_CONTROL.matcher(statement).matches()) {
                throw new IllegalArgumentException("Script " + name + " controls the transaction itself ('"
                        + StatementResult.summarize(statement) + "'); scripts run in one transaction managed by the runner");
            }
        }
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * The operational script {@code sql/scripts/<name>.sql}.
     *
     * @throws IllegalArgumentException when the name does not match {@code [a-z0-9][a-z0-9_-]{0,63}}
     * @throws UnknownScriptException   when there is no such script
     */
    public static SqlScript operational(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("Script name must be 1-64 lower-case letters, digits, '_' or '-' "
                    + "starting with a letter or digit: '" + name + "'");
        }
        ClassPathResource resource = new ClassPathResource(SCRIPTS_LOCATION + name + ".sql");
        if (!resource.exists()) {
            throw new UnknownScriptException(name);
        }
        return load(name, resource);
    }

    /** Any SQL file on the classpath, e.g. {@code sql/sample/monitored-schema.sql}. */
    public static SqlScript classpath(String location) {
        ClassPathResource resource = new ClassPathResource(location);
        if (!resource.exists()) {
            throw new UnknownScriptException(location);
        }
        return load(location, resource);
    }

    /** The parameters as given, or an exception naming what is missing or not declared. */
    public Map<String, String> checkParameters(Map<String, String> parameters) {
        Set<String> missing = new TreeSet<>(requiredParameters);
        missing.removeAll(parameters.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Script " + name + " needs parameter(s) " + missing);
        }
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        unknown.removeAll(requiredParameters);
        unknown.removeAll(optionalParameters);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Script " + name + " takes no parameter(s) " + unknown);
        }
        return parameters;
    }

    static SqlScript parse(String name, String text) {
        Set<String> required = new TreeSet<>();
        Set<String> optional = new TreeSet<>();
        Matcher declaration = PARAMETER.matcher(text);
        while (declaration.find()) {
            String parameter = SqlIdentifiers.requireValid(declaration.group(1));
            (declaration.group(2) == null ? required : optional).add(parameter);
        }
        return new SqlScript(name, SqlStatementSplitter.split(text), required, optional);
    }

    private static SqlScript load(String name, ClassPathResource resource) {
        try (InputStream in = resource.getInputStream()) {
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read SQL script " + name, e);
        }
    }
}
