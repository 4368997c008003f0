package dev.sco.orchestrator.platform.target;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;

/**
 * Rows whose {@code column} is after {@code after} (exclusive) and up to {@code upTo} (inclusive);
 * either bound may be null (open). Bounds are {@link Instant}/{@link OffsetDateTime} (compared as
 * timestamptz), {@link LocalDateTime} (compared as timestamp, without time zone) or
 * {@link Long}/{@link Integer} (compared as bigint). Only these types are
 * accepted, so a bound's text is digits, signs, 'T', ':', '.', 'Z' and nothing that could end a
 * literal: {@link #literal} checks it all the same.
 */
public record RowRange(String column, Object after, Object upTo) {

    public RowRange {
        SqlIdentifiers.requireValid(column);
        if (after == null && upTo == null) {
            throw new IllegalArgumentException("A row range needs at least one bound");
        }
        String afterType = after == null ? null : sqlType(after);
        String upToType = upTo == null ? null : sqlType(upTo);
        if (afterType != null && upToType != null && !afterType.equals(upToType)) {
            throw new IllegalArgumentException("Both bounds of a row range must have the same type");
        }
    }

    public static RowRange between(String column, Object afterExclusive, Object upToInclusive) {
        return new RowRange(column, afterExclusive, upToInclusive);
    }

    /**
     * The condition, {@code "column" > 'after'::type AND "column" <= 'upTo'::type}, with the bounds
     * as literals. Bound parameters (or settings read back with {@code current_setting}) would hide
     * the values from the planner: a statement the driver has prepared on the server is soon run
     * with a generic plan, which assumes a range selects a fraction of a percent of the rows. It
     * then picks an index scan when a copy reads the whole table (measured 1.6 times slower than
     * the sequential scan it needs on a million rows whose column follows the physical order, and
     * worse where it does not).
     */
    public String condition() {
        String quoted = SqlIdentifiers.quote(column);
        String type = sqlType();
        StringBuilder sql = new StringBuilder();
        if (after != null) {
            sql.append(quoted).append(" > ").append(literal(after)).append("::").append(type);
        }
        if (upTo != null) {
            sql.append(after != null ? " AND " : "").append(quoted).append(" <= ").append(literal(upTo)).append("::")
                    .append(type);
        }
        return sql.toString();
    }

    /** The type both bounds are cast to on the server. */
    String sqlType() {
        return sqlType(after != null ? after : upTo);
    }

    static String sqlType(Object bound) {
        if (bound instanceof Instant || bound instanceof OffsetDateTime) {
            return "timestamptz";
        }
        if (bound instanceof LocalDateTime) {
            return "timestamp";
        }
        if (bound instanceof Long || bound instanceof Integer) {
            return "bigint";
        }
        throw new IllegalArgumentException("Unsupported row range bound type " + bound.getClass().getName()
                + " (use Instant, OffsetDateTime, LocalDateTime, Long or Integer)");
    }

    /** A bound as a quoted SQL literal (cast to {@link #sqlType()} by the caller). */
    static String literal(Object bound) {
        String text = bound instanceof OffsetDateTime time ? time.toInstant().toString() : bound.toString();
        if (!text.matches("[0-9T:.Z+-]+")) {
            throw new IllegalArgumentException("Unexpected row range bound text: " + text);
        }
        return "'" + text + "'";
    }
}
