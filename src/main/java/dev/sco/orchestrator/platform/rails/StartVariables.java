package dev.sco.orchestrator.platform.rails;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/**
 * The start variables a caller sent, as plain values (text, number, boolean, or null), with typed
 * reads that refuse with a 400 problem naming the variable ({@code variables.<name>}).
 */
public final class StartVariables {

    private final Map<String, Object> values;

    public StartVariables(Map<String, Object> values) {
        this.values = values;
    }

    public static String field(String name) {
        return "variables." + name;
    }

    /** Runs a check written for the orchestrator API and names the start variable in its refusal. */
    public static <T> T about(String name, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (dev.sco.orchestrator.platform.web.ApiProblem problem) {
            throw new dev.sco.orchestrator.platform.web.ApiProblem(problem.status(), field(name), problem.detail());
        }
    }

    public Set<String> names() {
        return values.keySet();
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    /** A required estate name (letters, digits, '.', '_', '-'). */
    public String name(String name) {
        String value = text(name);
        if (value == null) {
            throw new BadRequest(field(name), "Start variable '" + name + "' is required");
        }
        if (!Inputs.isName(value)) {
            throw new BadRequest(field(name), "Start variable '" + name
                    + "' must be 1-128 characters of letters, digits, '.', '_' or '-'");
        }
        return value;
    }

    /**
     * An optional estate name: absent, or "" (a form's optional field left empty), is null;
     * anything else must be a name.
     */
    public String optionalName(String name) {
        String value = text(name);
        return value == null || value.isEmpty() ? null : name(name);
    }

    /**
     * Optional text of at most {@code maxLength} characters; null when absent. An empty text counts
     * as absent: a form's optional field left empty is submitted as "".
     */
    public String optionalText(String name, int maxLength) {
        String value = text(name);
        if (value != null && value.isEmpty()) {
            return null;
        }
        if (value != null && (value.isBlank() || value.length() > maxLength)) {
            throw new BadRequest(field(name), "Start variable '" + name + "' must be 1-" + maxLength + " characters");
        }
        return value;
    }

    /** Required text of at most {@code maxLength} characters. */
    public String requiredText(String name, int maxLength) {
        String value = optionalText(name, maxLength);
        if (value == null) {
            throw new BadRequest(field(name), "Start variable '" + name + "' is required");
        }
        return value;
    }

    /** Optional text that must be one of {@code allowed}. */
    public String optionalChoice(String name, Set<String> allowed) {
        String value = text(name);
        if (value != null && !allowed.contains(value)) {
            throw new BadRequest(field(name), "Start variable '" + name + "' must be one of " + allowed);
        }
        return value;
    }

    /** A required ISO-8601 date-time with offset (a Date variable arrives as that text too). */
    public OffsetDateTime dateTime(String name) {
        String value = text(name);
        if (value == null) {
            throw new BadRequest(field(name), "Start variable '" + name + "' is required");
        }
        try {
            return OffsetDateTime.parse(value.length() > 5 && value.matches(".*[+-]\\d{4}$")
                    ? value.substring(0, value.length() - 2) + ":" + value.substring(value.length() - 2) : value);
        } catch (DateTimeParseException e) {
            throw new BadRequest(field(name), "Start variable '" + name
                    + "' must be an ISO-8601 date-time with offset, e.g. 2026-01-31T22:15:00Z");
        }
    }

    /** Optional ISO-8601 duration ({@code P14D}, {@code PT2H}); null when absent. */
    public Duration optionalDuration(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        try {
            Duration duration = Duration.parse(value);
            if (duration.isNegative() || duration.isZero()) {
                throw new BadRequest(field(name), "Start variable '" + name + "' must be a positive duration");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new BadRequest(field(name), "Start variable '" + name + "' must be an ISO-8601 duration such as P14D");
        }
    }

    private String text(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new BadRequest(field(name), "Start variable '" + name + "' must be a String");
        }
        return text;
    }
}
