package dev.sco.orchestrator.dbfailover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.continuity.SyncControl;
import dev.sco.orchestrator.platform.target.CopyRequest;
import dev.sco.orchestrator.platform.target.CopyResult;
import dev.sco.orchestrator.platform.target.CopyStream;
import dev.sco.orchestrator.platform.target.ScriptRunner;
import dev.sco.orchestrator.platform.target.SqlIdentifiers;
import dev.sco.orchestrator.platform.target.TableRef;
import dev.sco.orchestrator.platform.target.TargetDatabaseException;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import dev.sco.orchestrator.platform.web.Conflict;
import dev.sco.orchestrator.platform.web.NotFound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Backups of a pair's configured tables onto the pair's backup database ({@link BackupTargets}),
 * and restores of them. A backup is one schema on the backup database,
 * {@code sco_backup_op<operation>_b<id>} (or {@code sco_backup_b<id>} when a DBA takes one by hand),
 * holding a plain copy (COPY, as the sync does) of every table the pair registered, read from one
 * snapshot of the source. A restore empties the same tables on the database the backup was taken
 * from and copies the rows back in one transaction there, its user triggers held off, then moves
 * the identity and serial sequences past the restored ids. Both are recorded in the orchestrator
 * database ({@code backup}, {@code backup_restore}).
 */
@Service
public class BackupService {

    private static final Logger log = LoggerFactory.getLogger(BackupService.class);

    /** One table of a backup and the rows it holds. */
    record TableRows(String name, long rows) {
    }

    /** A recorded backup; {@code pair} names the pair's primary, {@code database} the database copied. */
    record Backup(long id, Long operationId, String database, String pair, String sourceSchema, String locationUrl,
                  String locationSchema, List<TableRows> tables, Long totalRows, String state, Instant startedAt,
                  Instant finishedAt, String error) {
    }

    /** A recorded restore of a backup onto its database. */
    record Restore(long id, long backupId, String database, String requestedBy, String reason, Instant startedAt,
                   Instant finishedAt, String state, Long totalRows, String error) {
    }

    /** Thrown when no backup database is registered for the pair: nothing may be overwritten then. */
    static final class NoBackupTarget extends IllegalStateException {
        NoBackupTarget(String pair) {
            super("No backup database is registered for the pair of '" + pair + "': a copy back would overwrite "
                    + "the primary without a backup. Register one (PUT /api/backups/targets/" + pair
                    + ") and retry the step");
        }
    }

    private final JdbcClient jdbc;
    private final TargetDatabases targets;
    private final BackupTargets backupTargets;
    private final PairTables pairTables;
    private final SyncControl sync;
    private final ScriptRunner scripts;
    private final ObjectMapper json;
    private final Clock clock;

    BackupService(JdbcClient jdbc, TargetDatabases targets, BackupTargets backupTargets, PairTables pairTables,
                  SyncControl sync, ScriptRunner scripts, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.targets = targets;
        this.backupTargets = backupTargets;
        this.pairTables = pairTables;
        this.sync = sync;
        this.scripts = scripts;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Backs up {@code database} (either side of a pair) for continuity operation {@code operationId}
     * (null: a DBA's backup). An operation's backup that completed before is kept as it is (the step
     * ran again after a crash); one that failed or was cut short is taken again in the same record.
     */
    Backup backup(Long operationId, String database) {
        String pair = backupTargets.pairOf(database);
        BackupTargets.BackupTarget target = backupTargets.find(pair).orElseThrow(() -> new NoBackupTarget(pair));
        PairTables.TableList list = pairTables.required(pair);
        if (operationId != null) {
            Optional<Backup> earlier = jdbc.sql(SELECT + " where operation_id = ? and database = ?")
                    .params(operationId, database).query(this::backup).optional();
            if (earlier.isPresent() && "completed".equals(earlier.get().state())) {
                log.info("Backup {} of {} for operation {} was completed before: kept", earlier.get().id(), database,
                        operationId);
                return earlier.get();
            }
        }
        Timestamp now = Timestamp.from(clock.instant());
        long id = operationId == null ? insert(null, database, pair, list.schema(), target, now)
                : jdbc.sql("""
                        update backup set state = 'running', started_at = ?, finished_at = null, error = null,
                               location_url = ?, pair = ?, source_schema = ?, tables = '[]', total_rows = null
                         where operation_id = ? and database = ? returning id""")
                .params(now, target.jdbcUrl(), pair, list.schema(), operationId, database).query(Long.class).optional()
                .orElseGet(() -> insert(operationId, database, pair, list.schema(), target, now));
        String location = (operationId == null ? "sco_backup_b" : "sco_backup_op" + operationId + "_b") + id;
        jdbc.sql("update backup set location_schema = ? where id = ?").params(location, id).update();
        try {
            List<TableRows> rows = copyOut(id, operationId, database, list, target, location);
            long total = rows.stream().mapToLong(TableRows::rows).sum();
            jdbc.sql("update backup set state = 'completed', finished_at = ?, tables = ?::jsonb, total_rows = ? "
                            + "where id = ?")
                    .params(Timestamp.from(clock.instant()), write(rows), total, id).update();
            log.info("Backup {}: {} rows of {} tables of {} copied into schema {} on the backup database of {}", id,
                    total, rows.size(), database, location, pair);
        } catch (SQLException | RuntimeException e) {
            jdbc.sql("update backup set state = 'failed', finished_at = ?, error = ? where id = ?")
                    .params(Timestamp.from(clock.instant()), e.getMessage(), id).update();
            throw new TargetDatabaseException("Backup " + id + " of " + database + " failed: " + e.getMessage(), e);
        }
        return find(id).orElseThrow();
    }

    private long insert(Long operationId, String database, String pair, String schema,
                        BackupTargets.BackupTarget target, Timestamp now) {
        return jdbc.sql("""
                insert into backup (operation_id, database, pair, source_schema, location_url, location_schema, state,
                                    started_at)
                values (?, ?, ?, ?, ?, '', 'running', ?) returning id""")
                .params(operationId, database, pair, schema, target.jdbcUrl(), now).query(Long.class).single();
    }

    /**
     * One transaction on the backup database: the backup's schema (re)created, each table created
     * with the source's column types and filled by COPY; the source read in one repeatable-read
     * snapshot, so the tables agree with each other.
     */
    private List<TableRows> copyOut(long id, Long operationId, String database, PairTables.TableList list,
                                    BackupTargets.BackupTarget target, String location) throws SQLException {
        Duration timeout = sync.copyTimeout();
        List<TableRows> rows = new ArrayList<>();
        try (Connection source = targets.dataSource(database).getConnection();
             Connection backup = targets.connect(target.address(), BackupTargets.CHECK_TIMEOUT, timeout)) {
            source.setAutoCommit(false);
            source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            source.setReadOnly(true);
            backup.setAutoCommit(false);
            try (Statement s = backup.createStatement()) {
                s.execute("set local statement_timeout = " + timeout.toMillis());
                s.execute("drop schema if exists " + SqlIdentifiers.quote(location) + " cascade");
                s.execute("create schema " + SqlIdentifiers.quote(location));
                s.execute("comment on schema " + SqlIdentifiers.quote(location) + " is "
                        + literal("continuity orchestrator backup " + id + " of " + database + "." + list.schema()
                        + (operationId == null ? "" : " for operation " + operationId)));
            }
            for (PairTables.Table table : list.tables()) {
                TableRef from = TableRef.of(list.schema(), table.name());
                List<String[]> columns = columns(source, from);
                try (Statement s = backup.createStatement()) {
                    s.execute("create table " + TableRef.of(location, table.name()).quoted() + " ("
                            + String.join(", ", columns.stream().map(c -> SqlIdentifiers.quote(c[0]) + " " + c[1])
                            .toList()) + ")");
                }
                CopyResult result = CopyStream.copy(source, backup, CopyRequest.table(list.schema(), table.name())
                        .into(TableRef.of(location, table.name()))
                        .withColumns(columns.stream().map(c -> c[0]).toList())
                        .withStatementTimeoutSetOnTarget(timeout));
                rows.add(new TableRows(table.name(), result.rows()));
            }
            backup.commit();
            source.rollback();
        }
        return rows;
    }

    /**
     * The stored columns of a source table with the type a backup database can hold: built-in
     * types as they are, an enumeration as text (its label, which COPY reads back into the enum),
     * a domain as its built-in base type; any other type of the application refuses the backup.
     */
    private static List<String[]> columns(Connection source, TableRef table) throws SQLException {
        List<String[]> columns = new ArrayList<>();
        try (PreparedStatement query = source.prepareStatement("""
                select a.attname, format_type(a.atttypid, a.atttypmod), t.typtype, tn.nspname,
                       format_type(t.typbasetype, t.typtypmod), bn.nspname
                  from pg_attribute a
                  join pg_type t on t.oid = a.atttypid
                  join pg_namespace tn on tn.oid = t.typnamespace
                  left join pg_type b on b.oid = t.typbasetype
                  left join pg_namespace bn on bn.oid = b.typnamespace
                 where a.attrelid = to_regclass(?) and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                 order by a.attnum""")) {
            query.setString(1, table.quoted());
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    String name = SqlIdentifiers.requireValid(rs.getString(1));
                    String type = rs.getString(2);
                    if (!"pg_catalog".equals(rs.getString(4))) {
                        if ("e".equals(rs.getString(3))) {
                            type = "text";
                        } else if ("d".equals(rs.getString(3)) && "pg_catalog".equals(rs.getString(6))) {
                            type = rs.getString(5);
                        } else {
                            throw new SQLException("column " + name + " of " + table + " has type " + type
                                    + ", which is not a built-in type: a backup database cannot hold it");
                        }
                    }
                    columns.add(new String[] {name, type});
                }
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("table " + table + " does not exist on the source or has no columns");
        }
        return columns;
    }

    /**
     * Restores a completed backup onto the database it was taken from. Refused (409) while a sync
     * run, a failover or a restoration of the pair is going, while another restore of the database
     * runs, or when the backup is not complete. The tables are emptied and filled again in one
     * transaction on the database: a failed restore leaves them as they were.
     */
    Restore restore(long backupId, String reason, String by) {
        Backup backup = find(backupId).orElseThrow(() -> new NotFound("id", "No backup " + backupId));
        if (!"completed".equals(backup.state())) {
            throw new Conflict("id", "Backup " + backupId + " is " + backup.state() + ", not completed: it cannot "
                    + "be restored");
        }
        if (sync.running(backup.pair())) {
            throw new Conflict("id", "A sync run of the pair of '" + backup.pair() + "' is going: restore when it "
                    + "has ended (and stop the schedule first, or the next run overwrites the failover database)");
        }
        Optional<String> operation = jdbc.sql("""
                select kind || ' ' || id from continuity_operation
                 where ended_at is null and (database = ? or failover_database = ? or database = ?)
                 order by id limit 1""")
                .params(backup.pair(), backup.database(), backup.database()).query(String.class).optional();
        if (operation.isPresent()) {
            throw new Conflict("id", "Continuity operation " + operation.get() + " of the pair of '" + backup.pair()
                    + "' is running: restore when it has ended");
        }
        long id;
        try {
            id = jdbc.sql("""
                    insert into backup_restore (backup_id, database, requested_by, reason, started_at, state)
                    values (?, ?, ?, ?, ?, 'running') returning id""")
                    .params(backupId, backup.database(), by, reason, Timestamp.from(clock.instant()))
                    .query(Long.class).single();
        } catch (DuplicateKeyException e) {
            throw new Conflict("id", "A restore onto '" + backup.database() + "' is already running");
        }
        BackupTargets.BackupTarget target = backupTargets.find(backup.pair()).orElse(null);
        try {
            if (target == null || !target.jdbcUrl().equals(backup.locationUrl())) {
                throw new IllegalStateException("the backup database of the pair of '" + backup.pair()
                        + "' is no longer " + backup.locationUrl() + ", where backup " + backupId + " was taken");
            }
            long rows = copyIn(backup, target);
            scripts.run(backup.database(), "advance-sequences", Map.of("schema", backup.sourceSchema()), false);
            jdbc.sql("update backup_restore set state = 'completed', finished_at = ?, total_rows = ? where id = ?")
                    .params(Timestamp.from(clock.instant()), rows, id).update();
            log.warn("Restore {}: backup {} ({} rows) restored onto {} by {}: {}", id, backupId, rows,
                    backup.database(), by, reason);
        } catch (SQLException | RuntimeException e) {
            jdbc.sql("update backup_restore set state = 'failed', finished_at = ?, error = ? where id = ?")
                    .params(Timestamp.from(clock.instant()), e.getMessage(), id).update();
            throw new TargetDatabaseException("Restore of backup " + backupId + " onto " + backup.database()
                    + " failed: " + e.getMessage(), e);
        }
        return findRestore(id).orElseThrow();
    }

    private long copyIn(Backup backup, BackupTargets.BackupTarget target) throws SQLException {
        Duration timeout = sync.copyTimeout();
        String schema = backup.sourceSchema();
        long rows = 0;
        try (Connection source = targets.connect(target.address(), BackupTargets.CHECK_TIMEOUT, timeout);
             Connection database = targets.dataSource(backup.database()).getConnection()) {
            source.setAutoCommit(false);
            source.setReadOnly(true);
            List<String> tables = TargetTables.parentsFirst(database, schema,
                    backup.tables().stream().map(TableRows::name).toList());
            database.setAutoCommit(false);
            database.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE,
                    timeout.plusSeconds(30).toMillis()));
            try {
                try (Statement s = database.createStatement()) {
                    s.execute("set local statement_timeout = " + timeout.toMillis());
                    if (!tables.isEmpty()) {
                        s.execute("truncate " + String.join(", ", tables.stream()
                                .map(t -> TableRef.of(schema, t).quoted()).toList()));
                    }
                }
                List<String[]> triggers = TargetTables.enabledUserTriggers(database, schema, tables);
                TargetTables.setTriggers(database, triggers, "DISABLE");
                for (String table : tables) {
                    CopyResult result = CopyStream.copy(source, database,
                            CopyRequest.table(backup.locationSchema(), table).into(TableRef.of(schema, table))
                                    .withStatementTimeoutSetOnTarget(timeout));
                    rows += result.rows();
                }
                TargetTables.setTriggers(database, triggers, "ENABLE");
                database.commit();
            } catch (SQLException | RuntimeException e) {
                database.rollback();
                throw e;
            }
            source.rollback();
        }
        return rows;
    }

    Optional<Backup> find(long id) {
        return jdbc.sql(SELECT + " where id = ?").param(id).query(this::backup).optional();
    }

    /** The most recent backups, of one database when {@code database} is given. */
    List<Backup> list(String database, int limit) {
        return database == null
                ? jdbc.sql(SELECT + " order by id desc limit ?").param(limit).query(this::backup).list()
                : jdbc.sql(SELECT + " where database = ? or pair = ? order by id desc limit ?")
                        .params(database, database, limit).query(this::backup).list();
    }

    List<Restore> restores(long backupId) {
        return jdbc.sql(RESTORES + " where backup_id = ? order by id").param(backupId).query(Restore.class).list();
    }

    private Optional<Restore> findRestore(long id) {
        return jdbc.sql(RESTORES + " where id = ?").param(id).query(Restore.class).optional();
    }

    private static final String SELECT = """
            select id, operation_id, database, pair, source_schema, location_url, location_schema, tables::text,
                   total_rows, state, started_at, finished_at, error from backup""";

    private static final String RESTORES = """
            select id, backup_id, database, requested_by, reason, started_at, finished_at, state, total_rows, error
              from backup_restore""";

    private Backup backup(ResultSet rs, int row) throws SQLException {
        return new Backup(rs.getLong(1), (Long) rs.getObject(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), read(rs.getString(8)), (Long) rs.getObject(9), rs.getString(10),
                instant(rs.getTimestamp(11)), instant(rs.getTimestamp(12)), rs.getString(13));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private String write(List<TableRows> rows) {
        try {
            return json.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<TableRows> read(String text) {
        try {
            return json.readValue(text, new TypeReference<>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable table list of a backup: " + e.getMessage(), e);
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
