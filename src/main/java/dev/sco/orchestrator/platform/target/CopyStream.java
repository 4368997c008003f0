package dev.sco.orchestrator.platform.target;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams rows from one PostgreSQL server into another with COPY in binary format:
 * {@code COPY (SELECT ...) TO STDOUT} on the source feeds {@code COPY ... FROM STDIN} on the
 * target through the driver's CopyManager, on one thread, without decoding a single row.
 * <p>
 * Binary COPY needs the same column types on both sides, which a sync target has by
 * construction. Identifiers are validated and quoted. The range bounds are written into the SQL
 * as typed literals: they can only be instants or integers (see {@link RowRange}), whose text has
 * no quote, and the planner needs their values to choose between a sequential scan (a first or
 * full copy reads most of the table) and an index scan (an incremental run reads a few rows).
 */
public final class CopyStream {

    private static final Logger log = LoggerFactory.getLogger(CopyStream.class);

    /** Target-side messages are batched to this size: fewer, larger CopyData messages are cheaper. */
    private static final int BUFFER_SIZE = 64 * 1024;

    private static final Executor SAME_THREAD = Runnable::run;

    private CopyStream() {
    }

    /** Copies and commits on the target; the target rows appear all at once or not at all. */
    public static CopyResult copy(DataSource source, DataSource target, CopyRequest request) {
        try (Connection from = source.getConnection(); Connection to = target.getConnection()) {
            boolean autoCommit = to.getAutoCommit();
            to.setAutoCommit(false);
            try {
                CopyResult result = copy(from, to, request);
                to.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                to.rollback();
                throw e;
            } finally {
                to.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new TargetDatabaseException("Copy " + request.source() + " -> " + request.target() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Copies inside the caller's transaction on {@code target} (which must not be in auto-commit),
     * so that deleting old rows, copying and recording a checkpoint can commit together. The caller
     * commits or rolls back. The source is read in a transaction of its own.
     */
    public static CopyResult copy(Connection source, Connection target, CopyRequest request) throws SQLException {
        if (source == target) {
            throw new IllegalArgumentException("Source and target must be different connections");
        }
        if (target.getAutoCommit()) {
            throw new IllegalArgumentException("The target connection must be in a transaction (auto-commit off)");
        }
        long started = System.nanoTime();
        List<String> columns = request.columns().isEmpty() ? storedColumns(source, request.source()) : request.columns();
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("Table " + request.source() + " does not exist on the source or has no columns");
        }
        String columnList = String.join(", ", columns.stream().map(SqlIdentifiers::quote).toList());
        String select = "COPY (SELECT " + columnList + " FROM " + request.source().quoted() + where(request.range())
                + ") TO STDOUT (FORMAT binary)";
        String insert = "COPY " + request.target().quoted() + " (" + columnList + ") FROM STDIN (FORMAT binary)";

        // The range bounds are transaction-local settings, so the source read needs a transaction;
        // one the caller already has is used as it is and left open.
        boolean ownSourceTransaction = source.getAutoCommit();
        int sourceNetworkTimeout = source.getNetworkTimeout();
        int targetNetworkTimeout = target.getNetworkTimeout();
        source.setAutoCommit(false);
        Exception failure = null;
        try {
            prepare(source, request);
            if (!request.targetTimeoutSet()) {
                prepare(target, request);
            } else {
                setNetworkTimeout(target, request.statementTimeout().toMillis());
            }
            CopyResult result = stream(source, target, request, select, insert, started);
            if (ownSourceTransaction) {
                source.commit();
            }
            log.debug("Copied {} rows ({} bytes) {} -> {} in {} ms", result.rows(), result.bytes(), request.source(),
                    request.target(), result.duration().toMillis());
            return result;
        } catch (SQLException | RuntimeException e) {
            failure = e;
            if (ownSourceTransaction) {
                source.rollback();
            }
            throw e;
        } finally {
            if (ownSourceTransaction) {
                try {
                    source.setAutoCommit(true);
                } catch (SQLException | RuntimeException e) {
                    // After a cancelled COPY the driver may fail here; the copy's own error is the one to report.
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                }
            }
            if (request.statementTimeout() != null) {
                source.setNetworkTimeout(SAME_THREAD, sourceNetworkTimeout);
                target.setNetworkTimeout(SAME_THREAD, targetNetworkTimeout);
            }
        }
    }

    private static CopyResult stream(Connection source, Connection target, CopyRequest request, String select,
                                     String insert, long started) throws SQLException {
        CopyOut out = source.unwrap(PGConnection.class).getCopyAPI().copyOut(select);
        CopyIn in;
        try {
            in = target.unwrap(PGConnection.class).getCopyAPI().copyIn(insert);
        } catch (SQLException | RuntimeException e) {
            out.cancelCopy();
            throw e;
        }
        byte[] buffer = new byte[BUFFER_SIZE];
        int filled = 0;
        long bytes = 0;
        long messages = 0;
        long nextProgress = request.progressEvery();
        try {
            byte[] chunk;
            while ((chunk = out.readFromCopy()) != null) {
                messages++;
                bytes += chunk.length;
                if (filled + chunk.length > buffer.length) {
                    in.writeToCopy(buffer, 0, filled);
                    filled = 0;
                }
                if (chunk.length > buffer.length) {
                    in.writeToCopy(chunk, 0, chunk.length);
                } else {
                    System.arraycopy(chunk, 0, buffer, filled, chunk.length);
                    filled += chunk.length;
                }
                if (bytes >= nextProgress) {
                    // The server sends one message per row, the header riding with the first.
                    request.progress().progress(messages, bytes);
                    nextProgress = bytes + request.progressEvery();
                }
            }
            if (filled > 0) {
                in.writeToCopy(buffer, 0, filled);
            }
            long rows = in.endCopy();
            request.progress().progress(rows, bytes);
            return new CopyResult(request.source(), request.target(), rows, bytes,
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (SQLException | RuntimeException e) {
            if (out.isActive()) {
                cancelQuietly(out::cancelCopy, e);
            }
            if (in.isActive()) {
                cancelQuietly(in::cancelCopy, e);
            }
            throw e;
        }
    }

    /** Transaction-local settings: when asked, another statement timeout. */
    private static void prepare(Connection connection, CopyRequest request) throws SQLException {
        List<String[]> settings = new ArrayList<>();
        if (request.statementTimeout() != null) {
            long millis = request.statementTimeout().toMillis();
            settings.add(new String[] {"statement_timeout", Long.toString(millis)});
            setNetworkTimeout(connection, millis);
        }
        if (settings.isEmpty()) {
            return;
        }
        try (PreparedStatement set = connection.prepareStatement("select set_config(?, ?, true)")) {
            for (String[] setting : settings) {
                set.setString(1, setting[0]);
                set.setString(2, setting[1]);
                set.execute();
            }
        }
    }

    /** Disabled with the statement timeout, or beyond it, so that the server reports a timeout first. */
    private static void setNetworkTimeout(Connection connection, long statementTimeoutMillis) throws SQLException {
        connection.setNetworkTimeout(SAME_THREAD, statementTimeoutMillis == 0 ? 0
                : (int) Math.min(Integer.MAX_VALUE, statementTimeoutMillis + 30_000));
    }

    /** The range condition (see {@link RowRange#condition()} for why its bounds are literals). */
    private static String where(RowRange range) {
        return range == null ? "" : " WHERE " + range.condition();
    }

    /** Stored (not generated, not dropped) columns of a table, in table order. */
    public static List<String> storedColumns(Connection connection, TableRef table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                select a.attname from pg_attribute a
                where a.attrelid = to_regclass(?) and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                order by a.attnum""")) {
            query.setString(1, table.quoted());
            try (var rs = query.executeQuery()) {
                while (rs.next()) {
                    columns.add(SqlIdentifiers.requireValid(rs.getString(1)));
                }
            }
        }
        return columns;
    }

    private static void cancelQuietly(SqlAction cancel, Exception cause) {
        try {
            cancel.run();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }
}
