package dev.sco.orchestrator.platform.web;

import java.util.regex.Pattern;

/**
 * Checks of single request values that every feature applies the same way. Each failure is a
 * {@link BadRequest} naming the field, so the caller learns which input to fix.
 */
public final class Inputs {

    /** The API's rule for names of servers, agents, databases, hubs, instances, ... */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private static final String NAME_RULE = "must be 1-128 characters of letters, digits, '.', '_' or '-'";

    private Inputs() {
    }

    public static boolean isName(String value) {
        return value != null && NAME.matcher(value).matches();
    }

    /** A required name (also for path variables, where the field is the variable's name). */
    public static String name(String field, String value) {
        required(field, value);
        if (!isName(value)) {
            throw new BadRequest(field, "'" + field + "' " + NAME_RULE);
        }
        return value;
    }

    public static String optionalName(String field, String value) {
        return value == null ? null : name(field, value);
    }

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new BadRequest(field, "'" + field + "' is required");
        }
        return value;
    }

    /** Required free text: not blank, at most {@code maxLength} characters, no control characters. */
    public static String text(String field, String value, int maxLength) {
        required(field, value);
        if (value.isBlank()) {
            throw new BadRequest(field, "'" + field + "' must not be blank");
        }
        if (value.length() > maxLength) {
            throw new BadRequest(field, "'" + field + "' must be at most " + maxLength + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequest(field, "'" + field + "' must not contain control characters");
        }
        return value;
    }

    public static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new BadRequest(field, "'" + field + "' must be between " + min + " and " + max);
        }
        return value;
    }
}
