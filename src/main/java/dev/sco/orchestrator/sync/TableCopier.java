package dev.sco.orchestrator.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.sco.orchestrator.platform.target.CopyProgress;
import dev.sco.orchestrator.platform.target.CopyRequest;
import dev.sco.orchestrator.platform.target.CopyResult;
import dev.sco.orchestrator.platform.target.CopyStream;
import dev.sco.orchestrator.platform.target.Partitions;
import dev.sco.orchestrator.platform.target.RowRange;
import dev.sco.orchestrator.platform.target.SqlIdentifiers;
import dev.sco.orchestrator.platform.target.TableRef;

/**
 * Copies one table from the primary to the failover database in a single target transaction:
 * the rows about to be copied are first removed from the target, so re-reading an overlap (or
 * re-running a task after a crash) never leaves duplicates, and the target shows the old rows or
 * the new ones, never a mix.
 */
final class TableCopier {

    /**
     * What a task copies: rows with increment value in (after, upTo]; null bounds are open. The
     * bounds are instants for a timestamptz column (the primary's clock), values of the column
     * otherwise ({@link IncrementType}).
     */
    record Plan(SyncTable table, Object after, Object upTo, boolean whole) {

        static Plan of(SyncTable table, Instant previousCheckpoint, Instant checkpoint, Duration overlap, boolean full) {
            if (full || table.kind() == TableKind.NON_REFERENCED) {
                return new Plan(table, null, null, true);
            }
            Instant after = previousCheckpoint == null ? null : previousCheckpoint.minus(overlap);
            return new Plan(table, after, checkpoint, false);
        }

        /**
         * A growing-value column: from the value recorded the overlap before the previous
         * checkpoint (null: from the start) up to the largest value on the primary at the run's
         * start (null: the table is empty there).
         */
        static Plan ofValues(SyncTable table, Object after, Object largest, boolean full) {
            if (full || table.kind() == TableKind.NON_REFERENCED) {
                return new Plan(table, null, null, true);
            }
            return new Plan(table, after, largest, false);
        }

        /** An incremental plan with no bound at all: its table was empty on the primary and nothing was copied before. */
        boolean empty() {
            return !whole && after == null && upTo == null;
        }

        /** The rows of an incremental plan: its range of the increment column. */
        RowRange range() {
            return RowRange.between(table.incrementColumn(), after, upTo);
        }
    }

    /** What a task did; {@code phases} says where its time went, for the task's log line. */
    record Outcome(long rowsCopied, long rowsRemoved, int partitionsCreated, String phases) {
    }

    /** Wall time of a task's steps, in the order they ran. */
    private static final class Phases {
        private final StringBuilder text = new StringBuilder();
        private long mark = System.nanoTime();

        void end(String phase) {
            long now = System.nanoTime();
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(phase).append(' ').append(String.format(Locale.ROOT, "%.1f", (now - mark) / 1e6));
            mark = now;
        }

        @Override
        public String toString() {
            return text + " ms";
        }
    }

    private TableCopier() {
    }

    /**
     * Copies the plan's rows in one target transaction. {@code shape} is the table as the primary
     * had it when the run started (the run's first check reads it).
     */
    static Outcome copy(DataSource primary, DataSource failover, Plan plan, SyncTables.Shape shape, Duration timeout,
                        long progressEvery, CopyProgress progress) throws SQLException {
        SyncTable table = plan.table();
        Objects.requireNonNull(shape, "shape of " + table.table());
        Phases phases = new Phases();
        if (plan.empty()) {
            return new Outcome(0, 0, 0, "empty on the primary, nothing copied before");
        }
        try (Connection from = primary.getConnection(); Connection to = failover.getConnection()) {
            phases.end("connect");
            if (!plan.whole() && shape.incrementIndexed() && nothingInRange(from, to, plan, phases)) {
                // The common case of a frequent schedule: no row to remove, none to copy.
                return new Outcome(0, 0, 0, phases.toString());
            }
            to.setAutoCommit(false);
            try {
                setLocal(to, "statement_timeout", Long.toString(timeout.toMillis()));
                int partitions = 0;
                if (shape.partitioned()) {
                    partitions = Partitions.mirror(from, to, table.table());
                    phases.end("partitions");
                }
                CopyRequest request = CopyRequest.table(table.table().schema(), table.name())
                        .withColumns(shape.columns())
                        .withStatementTimeoutSetOnTarget(timeout).withProgress(progressEvery, progress);
                if (!plan.whole()) {
                    request = request.withRange(plan.range());
                }
                Outcome outcome = table.kind() == TableKind.LOOKUP && !plan.whole()
                        ? replaceByKey(from, to, plan, shape, request, phases)
                        : replaceRange(from, to, plan, request, phases);
                to.commit();
                phases.end("commit");
                return new Outcome(outcome.rowsCopied(), outcome.rowsRemoved(), partitions, phases.toString());
            } catch (SQLException | RuntimeException e) {
                to.rollback();
                // A copy cancelled half-way can leave protocol messages unread on either session:
                // neither connection goes back to its pool.
                evict(primary, from);
                evict(failover, to);
                throw e;
            }
        }
    }

    private static void evict(DataSource pool, Connection connection) {
        try {
            if (pool.isWrapperFor(HikariDataSource.class)) {
                pool.unwrap(HikariDataSource.class).evictConnection(connection);
            }
        } catch (SQLException ignored) {
            // Not a Hikari pool: the connection is closed normally.
        }
    }

    /** Removes the plan's range (or the whole table) on the target, then copies it. */
    private static Outcome replaceRange(Connection from, Connection to, Plan plan, CopyRequest request,
                                        Phases phases) throws SQLException {
        long removed;
        if (plan.whole()) {
            try (Statement delete = to.createStatement()) {
                removed = delete.executeUpdate("DELETE FROM " + plan.table().table().quoted());
            }
        } else {
            removed = deleteRange(to, plan);
        }
        phases.end("delete");
        CopyResult result = CopyStream.copy(from, to, request);
        phases.end("copy");
        return new Outcome(result.rows(), removed, 0, null);
    }

    /**
     * Lookup rows are rewritten in place on the primary: the changed rows go to a staging table
     * first, then replace the target rows with the same primary key.
     */
    private static Outcome replaceByKey(Connection from, Connection to, Plan plan, SyncTables.Shape shape,
                                        CopyRequest request, Phases phases) throws SQLException {
        TableRef table = plan.table().table();
        List<String> key = shape.key();
        if (key.isEmpty()) {
            throw new SQLException("lookup table " + table + " has no primary key on the primary");
        }
        List<String> columns = shape.columns();
        String stage = "sco_stage_" + table.name();
        if (stage.length() > 63) {
            stage = stage.substring(0, 63);
        }
        TableRef staged = TableRef.of("pg_temp", stage);
        try (Statement create = to.createStatement()) {
            create.execute("CREATE TEMP TABLE " + SqlIdentifiers.quote(stage) + " (LIKE " + table.quoted()
                    + ") ON COMMIT DROP");
        }
        CopyResult result = CopyStream.copy(from, to, request.into(staged));
        phases.end("copy to staging");
        String keyList = String.join(", ", key.stream().map(SqlIdentifiers::quote).toList());
        String columnList = String.join(", ", columns.stream().map(SqlIdentifiers::quote).toList());
        long removed;
        try (Statement replace = to.createStatement()) {
            removed = replace.executeUpdate("DELETE FROM " + table.quoted() + " WHERE (" + keyList + ") IN (SELECT "
                    + keyList + " FROM " + staged.quoted() + ")");
            replace.executeUpdate("INSERT INTO " + table.quoted() + " (" + columnList + ") SELECT " + columnList
                    + " FROM " + staged.quoted());
        }
        phases.end("replace by key");
        return new Outcome(result.rows(), removed, 0, null);
    }

    private static long deleteRange(Connection to, Plan plan) throws SQLException {
        try (Statement delete = to.createStatement()) {
            return delete.executeUpdate("DELETE FROM " + plan.table().table().quoted() + " WHERE " + plan.range().condition());
        }
    }

    /**
     * True when neither the primary has a row in the plan's range nor the failover database one to
     * remove (a lookup task removes only rows it copies: the primary alone decides). Two look-ups
     * in the increment column's index (asked only when the primary has one, the failover database
     * having the same indexes) instead of a transaction, the removal and the copy. A row that
     * commits on the primary after this look is one a copy started now would not have seen
     * either: the next run's overlap covers both alike.
     */
    private static boolean nothingInRange(Connection from, Connection to, Plan plan, Phases phases)
            throws SQLException {
        // Ordered by the increment column: without ORDER BY, on a table loaded moments ago and not
        // yet analysed (the failover side right after a large copy), the planner expects a match
        // within the first rows and scans every partition whole to find there is none (10 to 20 ms
        // on 100,000 rows); ordered, it walks the index, whatever the statistics.
        String probe = "SELECT 1 FROM " + plan.table().table().quoted() + " WHERE " + plan.range().condition() + " ORDER BY "
                + SqlIdentifiers.quote(plan.table().incrementColumn()) + " LIMIT 1";
        boolean some = any(from, probe);
        phases.end(some ? "rows in range on the primary" : "nothing in range on the primary");
        if (some || plan.table().kind() == TableKind.LOOKUP) {
            return !some;
        }
        some = any(to, probe);
        phases.end(some ? "rows to remove on the failover" : "nothing to remove on the failover");
        return !some;
    }

    private static boolean any(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            return rs.next();
        }
    }

    private static void setLocal(Connection connection, String name, String value) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("select set_config(?, ?, true)")) {
            set.setString(1, name);
            set.setString(2, value);
            set.execute();
        }
    }
}
