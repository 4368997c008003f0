package dev.sco.orchestrator.platform.continuity;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.springframework.scheduling.support.CronExpression;

/**
 * A schedule in the five cron fields of crontab and pg_cron (minute, hour, day of month, month, day
 * of week; names such as MON or JAN and the steps, ranges and lists of cron are accepted), read in
 * a time zone. Day of month and day of week must both match when both are restricted.
 */
public final class FiveFieldCron {

    public static final int MAX_LENGTH = 128;

    private final String text;
    private final CronExpression expression;

    private FiveFieldCron(String text, CronExpression expression) {
        this.text = text;
        this.expression = expression;
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    public static FiveFieldCron parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("is longer than " + MAX_LENGTH + " characters");
        }
        String[] fields = text.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("must have five fields (minute hour day-of-month month day-of-week), not "
                    + fields.length);
        }
        for (String field : fields) {
            if (!field.matches("[0-9A-Za-z*/,?-]+")) {
                throw new IllegalArgumentException("field '" + field + "' holds a character cron does not use");
            }
        }
        try {
            return new FiveFieldCron(String.join(" ", fields), CronExpression.parse("0 " + String.join(" ", fields)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a valid cron schedule: " + e.getMessage());
        }
    }

    /** The first start strictly after {@code at}. */
    public Instant nextAfter(Instant at, ZoneId zone) {
        ZonedDateTime next = expression.next(at.atZone(zone));
        if (next == null) {
            throw new IllegalStateException("schedule '" + text + "' has no start after " + at);
        }
        return next.toInstant();
    }

    @Override
    public String toString() {
        return text;
    }
}
