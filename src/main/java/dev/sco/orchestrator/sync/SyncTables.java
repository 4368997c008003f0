package dev.sco.orchestrator.sync;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.sco.orchestrator.platform.InvalidSettingException;
import dev.sco.orchestrator.platform.continuity.PairRoles;
import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.target.SqlIdentifiers;
import dev.sco.orchestrator.platform.target.TableRef;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Conflict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What is synchronised per pair (by primary name), kept in the orchestrator database
 * ({@code sync_table_set}, {@code sync_table}): set through the API, where it is checked against
 * the primary and the failover database at once, or seeded at start-up (the demo estate, the
 * settings {@code orchestrator.sync.pairs.*}), where only its shape is checked. Every run checks
 * it against the primary again before copying anything, since the primary's schema may change.
 */
@Component
class SyncTables implements PairTables, SmartInitializingSingleton {

    static final String SETTING = "ORCHESTRATOR_SYNC_PAIRS";

    /** More would be a schema nobody syncs table by table; also bounds the request. */
    static final int MAX_TABLES = 1_000;

    private static final Logger log = LoggerFactory.getLogger(SyncTables.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final PairRoles roles;
    private final Clock clock;
    private final Map<String, TableList> fromSettings = new LinkedHashMap<>();

    SyncTables(SyncSettings settings, JdbcClient jdbc, PlatformTransactionManager transactionManager, PairRoles roles,
               Clock clock) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
        this.roles = roles;
        this.clock = clock;
        settings.pairs().forEach((database, pair) -> fromSettings.put(database, parse(database, pair)));
    }

    /** The settings' pairs go into the store once; a list already there (set through the API) is kept. */
    @Override
    public void afterSingletonsInstantiated() {
        fromSettings.forEach((database, list) -> {
            if (seed(database, list, "settings")) {
                log.info("Sync tables of {} seeded from orchestrator.sync.pairs.{}: {} tables in schema {}", database,
                        database, list.tables().size(), list.schema());
            } else {
                log.info("Sync tables of {} are already registered; orchestrator.sync.pairs.{} is not applied (change "
                        + "them with PUT /api/sync/{}/tables)", database, database, database);
            }
        });
    }

    /** The tables of the pair whose primary is {@code database}, in copy order; empty when none are registered. */
    List<SyncTable> tables(String database) {
        return of(database).map(SyncTables::toSyncTables).orElse(List.of());
    }

    static List<SyncTable> toSyncTables(TableList list) {
        return list.tables().stream().map(t -> new SyncTable(TableRef.of(list.schema(), t.name()),
                TableKind.parse(t.kind()), t.incrementColumn(), t.kpi())).toList();
    }

    @Override
    public Optional<TableList> of(String primary) {
        // One statement: a list being replaced is read whole, before or after (never its schema from one, tables from the other).
        record Row(String schema, Table table) {
        }
        List<Row> rows = jdbc.sql("""
                        select s.schema_name, t.table_name, t.kind, t.increment_column, t.kpi
                          from sync_table_set s join sync_table t on t.database = s.database
                         where s.database = ? order by t.position""")
                .param(primary)
                .query((rs, i) -> new Row(rs.getString(1), new Table(rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5))))
                .list();
        return rows.isEmpty() ? Optional.empty()
                : Optional.of(new TableList(rows.get(0).schema(), rows.stream().map(Row::table).toList()));
    }

    /** Who set the pair's list and when (the API shows it). */
    record Registration(TableList tables, Instant updatedAt, String updatedBy) {
    }

    Optional<Registration> registration(String primary) {
        return of(primary).flatMap(list -> jdbc.sql("select updated_at, updated_by from sync_table_set where database = ?")
                .param(primary)
                .query((rs, i) -> new Registration(list, rs.getTimestamp(1).toInstant(), rs.getString(2)))
                .optional());
    }

    @Override
    public boolean seed(String primary, TableList tables, String by) {
        List<Problem> problems = shapeProblems(tables);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("tables of " + primary + ": " + problems.get(0).message());
        }
        Boolean written = transaction.execute(tx -> {
            int inserted = jdbc.sql("""
                            insert into sync_table_set (database, schema_name, updated_at, updated_by)
                            values (?, ?, ?, ?) on conflict do nothing""")
                    .params(primary, tables.schema(), Timestamp.from(clock.instant()), by).update();
            if (inserted == 1) {
                insertTables(primary, tables);
            }
            return inserted == 1;
        });
        return Boolean.TRUE.equals(written);
    }

    /**
     * Replaces the pair's list in one transaction, refused (409) while a run, a failover or a
     * restoration of the pair is running or while it is failed over. Checkpoints of tables that
     * left the list, or whose kind or increment column changed, go with it: such a table starts
     * over with a whole copy. Returns whether the pair had no list before.
     */
    boolean replace(String primary, TableList tables, String by) {
        Boolean created = transaction.execute(tx -> {
            roles.tableChangeRefusal(primary).ifPresent(reason -> {
                throw new Conflict("database", "The sync tables of '" + primary + "' cannot change now: " + reason);
            });
            jdbc.sql("insert into sync_state (database) values (?) on conflict do nothing").param(primary).update();
            Long running = jdbc.sql("select running_run_id from sync_state where database = ? for update").param(primary)
                    .query((rs, i) -> java.util.Optional.ofNullable((Long) rs.getObject(1))).single().orElse(null);
            if (running != null) {
                throw new Conflict("database", "The sync tables of '" + primary + "' cannot change while run " + running
                        + " of the pair is running");
            }
            Map<String, Table> before = new HashMap<>();
            Optional<TableList> old = of(primary);
            old.ifPresent(list -> list.tables().forEach(t -> before.put(TableRef.of(list.schema(), t.name()).toString(), t)));
            Set<String> kept = new HashSet<>();
            for (Table t : tables.tables()) {
                String name = TableRef.of(tables.schema(), t.name()).toString();
                Table was = before.get(name);
                if (was != null && was.kind().equals(t.kind())
                        && java.util.Objects.equals(was.incrementColumn(), t.incrementColumn())) {
                    kept.add(name);
                }
            }
            String[] keep = kept.toArray(String[]::new);
            jdbc.sql("delete from sync_checkpoint where database = ? and not (table_name = any(?))")
                    .params(primary, keep).update();
            jdbc.sql("delete from sync_checkpoint_value where database = ? and not (table_name = any(?))")
                    .params(primary, keep).update();
            jdbc.sql("delete from sync_table_set where database = ?").param(primary).update();
            jdbc.sql("insert into sync_table_set (database, schema_name, updated_at, updated_by) values (?, ?, ?, ?)")
                    .params(primary, tables.schema(), Timestamp.from(clock.instant()), by).update();
            insertTables(primary, tables);
            return old.isEmpty();
        });
        log.info("Sync tables of {} set by {}: {} tables in schema {}", primary, by, tables.tables().size(),
                tables.schema());
        return Boolean.TRUE.equals(created);
    }

    private void insertTables(String primary, TableList tables) {
        for (int i = 0; i < tables.tables().size(); i++) {
            Table t = tables.tables().get(i);
            jdbc.sql("""
                            insert into sync_table (database, position, table_name, kind, increment_column, kpi)
                            values (?, ?, ?, ?, ?, ?)""")
                    .params(primary, i, t.name(), t.kind(), t.incrementColumn(), t.kpi()).update();
        }
    }

    /** A problem with one table of a list (index -1: the list itself), naming the request field. */
    record Problem(int index, String field, String message) {
    }

    /**
     * The checks that need no database: names, kinds, duplicates, increment columns where the
     * kind needs one and nowhere else, at most one KPI table (which needs an increment column).
     */
    static List<Problem> shapeProblems(TableList list) {
        List<Problem> problems = new ArrayList<>();
        if (list.schema() == null || list.schema().isBlank()) {
            problems.add(new Problem(-1, "schema", "'schema' is required"));
        } else if (!SqlIdentifiers.isValid(list.schema())) {
            problems.add(new Problem(-1, "schema", "'schema' " + identifierRule(list.schema())));
        }
        if (list.tables().isEmpty()) {
            problems.add(new Problem(-1, "tables", "'tables' must list at least one table"));
        }
        if (list.tables().size() > MAX_TABLES) {
            problems.add(new Problem(-1, "tables", "'tables' lists at most " + MAX_TABLES + " tables"));
        }
        Set<String> seen = new HashSet<>();
        int kpis = 0;
        for (int i = 0; i < list.tables().size(); i++) {
            Table t = list.tables().get(i);
            String at = "tables[" + i + "]";
            if (t == null) {
                problems.add(new Problem(i, at, "'" + at + "' is empty"));
                continue;
            }
            if (t.name() == null || t.name().isBlank()) {
                problems.add(new Problem(i, at + ".name", "'" + at + ".name' is required"));
            } else if (!SqlIdentifiers.isValid(t.name())) {
                problems.add(new Problem(i, at + ".name", "'" + at + ".name' " + identifierRule(t.name())));
            } else if (!seen.add(t.name())) {
                problems.add(new Problem(i, at + ".name", "'" + at + ".name': table " + t.name() + " is listed twice"));
            }
            TableKind kind = null;
            if (t.kind() == null) {
                problems.add(new Problem(i, at + ".kind", "'" + at + ".kind' is required (referenced, non-referenced, "
                        + "partitioned or lookup)"));
            } else {
                try {
                    kind = TableKind.parse(t.kind());
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(i, at + ".kind", "'" + at + ".kind': " + e.getMessage()));
                }
            }
            if (kind != null && kind.incremental()) {
                if (t.incrementColumn() == null || t.incrementColumn().isBlank()) {
                    problems.add(new Problem(i, at + ".incrementColumn", "'" + at + ".incrementColumn' is required for a "
                            + kind.label() + " table (a column of type " + IncrementType.ALLOWED + " that only grows)"));
                } else if (!SqlIdentifiers.isValid(t.incrementColumn())) {
                    problems.add(new Problem(i, at + ".incrementColumn", "'" + at + ".incrementColumn' "
                            + identifierRule(t.incrementColumn())));
                }
            }
            if (kind == TableKind.NON_REFERENCED && t.incrementColumn() != null) {
                problems.add(new Problem(i, at + ".incrementColumn", "'" + at + ".incrementColumn' must be absent: a "
                        + "non-referenced table is copied whole at every run"));
            }
            if (t.kpi()) {
                kpis++;
                if (kind == TableKind.NON_REFERENCED) {
                    problems.add(new Problem(i, at + ".kpi", "'" + at + ".kpi': the KPI counts new rows by their "
                            + "increment column, which a non-referenced table has none of"));
                }
                if (kpis == 2) {
                    problems.add(new Problem(i, at + ".kpi", "'" + at + ".kpi': only one table of a pair may be the KPI "
                            + "table"));
                }
            }
        }
        return problems;
    }

    private static String identifierRule(String value) {
        return "must be a lower-case SQL name (letters, digits, '_', 1-63 characters, not starting with a digit): '"
                + value + "'";
    }

    /** The first problem as the 400 of the API, naming its field. */
    static void refuse(List<Problem> problems) {
        if (!problems.isEmpty()) {
            throw new BadRequest(problems.get(0).field(), problems.get(0).message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
        }
    }

    /**
     * A table as the primary has it: its stored columns in table order, its primary key in key
     * order, whether an index leads with its increment column (a range of it is then found
     * without reading the table), the increment column's type, and whether it is partitioned.
     */
    record Shape(List<String> columns, List<String> key, boolean incrementIndexed, IncrementType incrementType,
                 boolean partitioned) {
    }

    /**
     * The tables checked against the primary: problems (a missing table, a missing or mistyped
     * increment column, a lookup table without primary key, a kind that does not fit the table's
     * partitioning; empty when all is well) and the shape of every table found, which the run's
     * tasks copy by.
     */
    record Inspection(List<Problem> problems, Map<TableRef, Shape> shapes) {

        List<String> messages() {
            return problems.stream().map(Problem::message).toList();
        }
    }

    static Inspection inspect(Connection primary, List<SyncTable> tables) throws SQLException {
        List<Problem> problems = new ArrayList<>();
        Map<TableRef, Shape> shapes = new HashMap<>();
        // One round trip for every table: the check runs at the start of each run.
        try (PreparedStatement check = primary.prepareStatement("""
                select c.oid is not null and c.relkind in ('r', 'p'),
                       (select format_type(a.atttypid, null) from pg_attribute a
                        where a.attrelid = c.oid and a.attname = t.col and a.attnum > 0 and not a.attisdropped),
                       (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
                        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''),
                       (select array_agg(a.attname::text order by k.ord)
                        from pg_index i
                        cross join lateral unnest(i.indkey) with ordinality k(attnum, ord)
                        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                        where i.indrelid = c.oid and i.indisprimary),
                       exists (select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid
                               where i.indrelid = c.oid and a.attname = t.col and i.indkey[0] = a.attnum),
                       exists (select 1 from pg_partitioned_table p where p.partrelid = c.oid)
                from unnest(?::text[], ?::text[]) with ordinality t(name, col, ord)
                left join pg_class c on c.oid = to_regclass(t.name)
                order by t.ord""")) {
            check.setArray(1, primary.createArrayOf("text", tables.stream().map(t -> t.table().quoted()).toArray()));
            check.setArray(2, primary.createArrayOf("text", tables.stream().map(SyncTable::incrementColumn).toArray()));
            try (ResultSet rs = check.executeQuery()) {
                for (int i = 0; i < tables.size(); i++) {
                    SyncTable t = tables.get(i);
                    String at = "tables[" + i + "]";
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        problems.add(new Problem(i, at + ".name", "table " + t.table() + " does not exist on the primary"));
                        continue;
                    }
                    String type = rs.getString(2);
                    IncrementType incrementType = null;
                    if (t.incrementColumn() != null) {
                        if (type == null) {
                            problems.add(new Problem(i, at + ".incrementColumn", "column " + t.incrementColumn()
                                    + " of table " + t.table() + " does not exist on the primary"));
                        } else {
                            incrementType = IncrementType.of(type).orElse(null);
                            if (incrementType == null) {
                                problems.add(new Problem(i, at + ".incrementColumn", "increment column "
                                        + t.incrementColumn() + " of table " + t.table() + " is " + type + "; it must be "
                                        + IncrementType.ALLOWED));
                            } else if (t.kpi() && incrementType != IncrementType.TIMESTAMPTZ) {
                                problems.add(new Problem(i, at + ".kpi", "the KPI table " + t.table() + " needs a "
                                        + "timestamptz increment column (it counts rows written after a moment); "
                                        + t.incrementColumn() + " is " + type));
                            }
                        }
                    }
                    boolean partitioned = rs.getBoolean(6);
                    if (t.kind() == TableKind.PARTITIONED && !partitioned) {
                        problems.add(new Problem(i, at + ".kind", "table " + t.table() + " is not partitioned on the "
                                + "primary: kind partitioned is for partitioned tables"));
                    } else if (partitioned && (t.kind() == TableKind.REFERENCED || t.kind() == TableKind.LOOKUP)) {
                        problems.add(new Problem(i, at + ".kind", "table " + t.table() + " is partitioned on the primary: "
                                + "its kind must be partitioned (or non-referenced)"));
                    }
                    try {
                        List<String> key = names(rs.getArray(4));
                        if (t.kind() == TableKind.LOOKUP && key.isEmpty()) {
                            problems.add(new Problem(i, at + ".kind", "lookup table " + t.table()
                                    + " has no primary key on the primary"));
                        }
                        shapes.put(t.table(), new Shape(names(rs.getArray(3)), key, rs.getBoolean(5), incrementType,
                                partitioned));
                    } catch (IllegalArgumentException e) {
                        problems.add(new Problem(i, at + ".name", "table " + t.table() + " on the primary: "
                                + e.getMessage()));
                    }
                }
            }
        }
        return new Inspection(List.copyOf(problems), Map.copyOf(shapes));
    }

    /** The tables the failover database lacks (by position in the list); the sync never creates tables. */
    static List<Problem> missingOnFailover(Connection failover, String failoverName, List<SyncTable> tables)
            throws SQLException {
        List<Problem> problems = new ArrayList<>();
        try (PreparedStatement check = failover.prepareStatement(
                "select to_regclass(t) is not null from unnest(?::text[]) with ordinality u(t, ord) order by ord")) {
            check.setArray(1, failover.createArrayOf("text", tables.stream().map(t -> t.table().quoted()).toArray()));
            try (ResultSet rs = check.executeQuery()) {
                for (int i = 0; i < tables.size(); i++) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        problems.add(new Problem(i, "tables[" + i + "].name", "table " + tables.get(i).table()
                                + " does not exist on the failover database '" + failoverName + "': create the schema "
                                + "there first (sync copies rows, not tables) and make it a sync target"));
                    }
                }
            }
        }
        return problems;
    }

    private static List<String> names(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (Object name : (Object[]) array.getArray()) {
            names.add(SqlIdentifiers.requireValid((String) name));
        }
        return List.copyOf(names);
    }

    private static TableList parse(String database, SyncSettings.Pair pair) {
        String where = "orchestrator.sync.pairs." + database;
        if (pair.tables().isEmpty()) {
            throw new InvalidSettingException(SETTING, where + " lists no tables");
        }
        List<Table> tables = new ArrayList<>();
        for (SyncSettings.Table t : pair.tables()) {
            // Settings written before increment columns became optional name one for
            // non-referenced tables too: it was never used, so it is dropped.
            boolean whole = TableKind.NON_REFERENCED.label().equals(t.kind());
            tables.add(new Table(t.name(), t.kind(), whole ? null : t.incrementColumn(), t.kpi()));
        }
        TableList list = new TableList(pair.schema(), tables);
        List<Problem> problems = shapeProblems(list);
        if (!problems.isEmpty()) {
            Problem p = problems.get(0);
            throw new InvalidSettingException(SETTING, where + (p.index() < 0 ? "" : ".tables[" + p.index() + "]") + ": "
                    + p.message());
        }
        return list;
    }
}
