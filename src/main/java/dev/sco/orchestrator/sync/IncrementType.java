package dev.sco.orchestrator.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * The type of an increment column as the primary has it, and how a run bounds its range.
 * A {@code timestamptz} is compared with the primary's clock ({@link #clocked()}); any other
 * column (an integer filled by a sequence or identity, a {@code timestamp} without time zone)
 * is a value that only grows: a run copies up to the largest value the primary holds when it
 * starts, and the overlap is the value recorded that long before (see docs/sync.md).
 */
enum IncrementType {
    TIMESTAMPTZ("timestamp with time zone"),
    TIMESTAMP("timestamp without time zone"),
    SMALLINT("smallint"),
    INTEGER("integer"),
    BIGINT("bigint");

    /** The allowed types, for error messages. */
    static final String ALLOWED = "timestamptz, timestamp, smallint, integer or bigint";

    private final String formatted;

    IncrementType(String formatted) {
        this.formatted = formatted;
    }

    /** The type of a column as {@code format_type(atttypid, null)} names it; empty when not allowed. */
    static Optional<IncrementType> of(String formatType) {
        for (IncrementType t : values()) {
            if (t.formatted.equals(formatType)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Bounded by the primary's clock (timestamptz) rather than by the column's largest value. */
    boolean clocked() {
        return this == TIMESTAMPTZ;
    }

    /** A value of the column as a range bound ({@link dev.sco.orchestrator.platform.target.RowRange}). */
    Object read(ResultSet rs, int column) throws SQLException {
        return switch (this) {
            case TIMESTAMPTZ -> {
                java.sql.Timestamp t = rs.getTimestamp(column);
                yield t == null ? null : t.toInstant();
            }
            case TIMESTAMP -> rs.getObject(column, LocalDateTime.class);
            default -> {
                long value = rs.getLong(column);
                yield rs.wasNull() ? null : (Object) value;
            }
        };
    }

    /** A stored bound back as the value it was ({@link #text}). */
    Object parse(String text) {
        return switch (this) {
            case TIMESTAMPTZ -> Instant.parse(text);
            case TIMESTAMP -> LocalDateTime.parse(text);
            default -> Long.parseLong(text);
        };
    }

    static String text(Object bound) {
        return bound == null ? null : bound.toString();
    }
}
