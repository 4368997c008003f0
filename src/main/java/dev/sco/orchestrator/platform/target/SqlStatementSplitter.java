package dev.sco.orchestrator.platform.target;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a PostgreSQL script into statements at the semicolons that are not inside a string,
 * a quoted identifier, a comment or a dollar-quoted body, so that DO blocks and function bodies
 * stay whole. Statements start at their first significant character (leading comments dropped);
 * a piece holding nothing but whitespace and comments is no statement.
 */
public final class SqlStatementSplitter {

    private SqlStatementSplitter() {
    }

    public static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        int length = script.length();
        int start = -1;
        int i = 0;
        while (i < length) {
            char c = script.charAt(i);
            char next = i + 1 < length ? script.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                i = endOfLineComment(script, i);
                continue;
            }
            if (c == '/' && next == '*') {
                i = endOfBlockComment(script, i);
                continue;
            }
            if (c == ';') {
                if (start >= 0) {
                    statements.add(script.substring(start, i).strip());
                    start = -1;
                }
                i++;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (start < 0) {
                start = i;
            }
            if (c == '\'') {
                i = endOfString(script, i, isEscapeStringPrefix(script, i));
            } else if (c == '"') {
                i = endOfQuoted(script, i, '"');
            } else if (c == '$' && !continuesWord(script, i)) {
                String tag = dollarTag(script, i);
                if (tag != null) {
                    int close = script.indexOf(tag, i + tag.length());
                    if (close < 0) {
                        throw new IllegalArgumentException("Unterminated dollar-quoted string " + tag + " at offset " + i);
                    }
                    i = close + tag.length();
                } else {
                    i++;
                }
            } else {
                i++;
            }
        }
        if (start >= 0) {
            statements.add(script.substring(start).strip());
        }
        return statements;
    }

    private static int endOfLineComment(String s, int i) {
        int newline = s.indexOf('\n', i);
        return newline < 0 ? s.length() : newline + 1;
    }

    /** PostgreSQL block comments nest. */
    private static int endOfBlockComment(String s, int i) {
        int depth = 0;
        int j = i;
        while (j < s.length()) {
            if (s.startsWith("/*", j)) {
                depth++;
                j += 2;
            } else if (s.startsWith("*/", j)) {
                depth--;
                j += 2;
                if (depth == 0) {
                    return j;
                }
            } else {
                j++;
            }
        }
        throw new IllegalArgumentException("Unterminated block comment at offset " + i);
    }

    /** A quote directly after a lone E (not part of a longer word) opens an escape string: {@code E'it\'s'}. */
    private static boolean isEscapeStringPrefix(String s, int quote) {
        if (quote == 0) {
            return false;
        }
        char prefix = s.charAt(quote - 1);
        return (prefix == 'E' || prefix == 'e') && (quote == 1 || !isWordChar(s.charAt(quote - 2)));
    }

    private static int endOfString(String s, int i, boolean backslashEscapes) {
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (backslashEscapes && c == '\\') {
                j += 2;
            } else if (c == '\'') {
                if (j + 1 < s.length() && s.charAt(j + 1) == '\'') {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        throw new IllegalArgumentException("Unterminated string literal at offset " + i);
    }

    private static int endOfQuoted(String s, int i, char quote) {
        int j = i + 1;
        while (j < s.length()) {
            if (s.charAt(j) == quote) {
                if (j + 1 < s.length() && s.charAt(j + 1) == quote) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        throw new IllegalArgumentException("Unterminated quoted identifier at offset " + i);
    }

    /** {@code $$} or {@code $tag$}; null for a positional parameter such as {@code $1} or a lone dollar. */
    private static String dollarTag(String s, int i) {
        int j = i + 1;
        if (j < s.length() && s.charAt(j) == '$') {
            return "$$";
        }
        if (j >= s.length() || !(Character.isLetter(s.charAt(j)) || s.charAt(j) == '_')) {
            return null;
        }
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        return j < s.length() && s.charAt(j) == '$' ? s.substring(i, j + 1) : null;
    }

    /** A dollar inside an identifier ({@code a$b}) does not open a dollar quote. */
    private static boolean continuesWord(String s, int i) {
        return i > 0 && isWordChar(s.charAt(i - 1));
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
