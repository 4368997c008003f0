package dev.sco.orchestrator.sync;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.platform.InvalidSettingException;
import dev.sco.orchestrator.platform.demo.SampleSchema;
import dev.sco.orchestrator.platform.demo.SampleTable;
import dev.sco.orchestrator.platform.target.SqlIdentifiers;
import dev.sco.orchestrator.platform.target.TableRef;
import org.springframework.stereotype.Component;

/**
 * What is synchronised per pair (by primary name). Shapes are checked at start-up (kinds, names);
 * that the tables and columns exist is checked against the primary at the start of every run,
 * because the primary may be unreachable when the orchestrator starts.
 */
@Component
class SyncTables {

    static final String SETTING = "ORCHESTRATOR_SYNC_PAIRS";

    private final Map<String, List<SyncTable>> configured = new HashMap<>();
    private final List<SyncTable> defaults;

    SyncTables(SyncSettings settings) {
        defaults = SampleSchema.TABLES.stream().map(SyncTables::sample).toList();
        settings.pairs().forEach((database, pair) -> configured.put(database, parse(database, pair)));
    }

    /** The tables of the pair whose primary is {@code database}, in copy order. */
    List<SyncTable> tables(String database) {
        return configured.getOrDefault(database, defaults);
    }

    /**
     * A table as the primary has it: its stored columns in table order, its primary key in key
     * order, and whether an index leads with its increment column (a range of it is then found
     * without reading the table).
     */
    record Shape(List<String> columns, List<String> key, boolean incrementIndexed) {
    }

    /**
     * The configured tables checked against the primary: problems (a missing table, a missing or
     * mistyped increment column, a lookup table without primary key; empty when all is well) and
     * the shape of every table found, which the run's tasks copy by.
     */
    record Inspection(List<String> problems, Map<TableRef, Shape> shapes) {
    }

    static Inspection inspect(Connection primary, List<SyncTable> tables) throws SQLException {
        List<String> problems = new ArrayList<>();
        Map<TableRef, Shape> shapes = new HashMap<>();
        // One round trip for every table: the check runs at the start of each run.
        try (PreparedStatement check = primary.prepareStatement("""
                select c.oid is not null,
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
                               where i.indrelid = c.oid and a.attname = t.col and i.indkey[0] = a.attnum)
                from unnest(?::text[], ?::text[]) with ordinality t(name, col, ord)
                left join pg_class c on c.oid = to_regclass(t.name)
                order by t.ord""")) {
            check.setArray(1, primary.createArrayOf("text", tables.stream().map(t -> t.table().quoted()).toArray()));
            check.setArray(2, primary.createArrayOf("text", tables.stream().map(SyncTable::incrementColumn).toArray()));
            try (ResultSet rs = check.executeQuery()) {
                for (SyncTable t : tables) {
                    rs.next();
                    String type = rs.getString(2);
                    if (!rs.getBoolean(1)) {
                        problems.add("table " + t.table() + " does not exist on the primary");
                        continue;
                    }
                    if (type == null) {
                        problems.add("column " + t.incrementColumn() + " of table " + t.table()
                                + " does not exist on the primary");
                    } else if (!"timestamp with time zone".equals(type)) {
                        problems.add("increment column " + t.incrementColumn() + " of table " + t.table() + " is "
                                + type + ", not timestamptz");
                    }
                    try {
                        List<String> key = names(rs.getArray(4));
                        if (t.kind() == TableKind.LOOKUP && key.isEmpty()) {
                            problems.add("lookup table " + t.table() + " has no primary key on the primary");
                        }
                        shapes.put(t.table(), new Shape(names(rs.getArray(3)), key, rs.getBoolean(5)));
                    } catch (IllegalArgumentException e) {
                        problems.add("table " + t.table() + " on the primary: " + e.getMessage());
                    }
                }
            }
        }
        return new Inspection(List.copyOf(problems), Map.copyOf(shapes));
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

    private static SyncTable sample(SampleTable t) {
        return new SyncTable(TableRef.of(SampleSchema.SCHEMA, t.name()), TableKind.parse(t.kind()), t.incrementColumn());
    }

    private static List<SyncTable> parse(String database, SyncSettings.Pair pair) {
        String where = "orchestrator.sync.pairs." + database;
        if (pair.tables().isEmpty()) {
            throw new InvalidSettingException(SETTING, where + " lists no tables");
        }
        List<SyncTable> tables = new ArrayList<>();
        for (int i = 0; i < pair.tables().size(); i++) {
            SyncSettings.Table t = pair.tables().get(i);
            String at = where + ".tables[" + i + "]";
            try {
                TableKind kind = TableKind.parse(t.kind());
                if (t.incrementColumn() == null || t.incrementColumn().isBlank()) {
                    throw new IllegalArgumentException("increment-column is missing");
                }
                tables.add(new SyncTable(TableRef.of(pair.schema(), t.name()), kind,
                        SqlIdentifiers.requireValid(t.incrementColumn())));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new InvalidSettingException(SETTING, at + " (" + t.name() + "): " + e.getMessage());
            }
        }
        return List.copyOf(tables);
    }
}
