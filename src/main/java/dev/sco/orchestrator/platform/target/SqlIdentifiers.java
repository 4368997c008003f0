package dev.sco.orchestrator.platform.target;

import java.util.regex.Pattern;

/**
 * The only way identifiers reach SQL text: names are checked against a strict pattern, then
 * quoted. Values never go through here; they are bound parameters.
 */
public final class SqlIdentifiers {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private SqlIdentifiers() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Returns the name unchanged, or throws naming the offending value. */
    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("Not an allowed SQL identifier (lower-case letters, digits, '_'; "
                    + "1-63 characters, not starting with a digit): '" + name + "'");
        }
        return name;
    }

    /** Quotes a valid identifier ({@code "name"}); embedded quotes cannot occur once validated. */
    public static String quote(String name) {
        return '"' + requireValid(name).replace("\"", "\"\"") + '"';
    }

    /** {@code "schema"."table"}. */
    public static String qualified(String schema, String table) {
        return quote(schema) + '.' + quote(table);
    }
}
