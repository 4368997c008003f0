package dev.sco.orchestrator.sync;

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
     * Problems with the configured tables on the primary: a missing table, a missing increment
     * column, a lookup table without primary key. Empty when all is well.
     */
    static List<String> problems(Connection primary, List<SyncTable> tables) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (PreparedStatement table = primary.prepareStatement("select to_regclass(?) is not null");
             PreparedStatement column = primary.prepareStatement("""
                     select format_type(atttypid, null) from pg_attribute
                     where attrelid = to_regclass(?) and attname = ? and attnum > 0 and not attisdropped""")) {
            for (SyncTable t : tables) {
                table.setString(1, t.table().quoted());
                if (!single(table)) {
                    problems.add("table " + t.table() + " does not exist on the primary");
                    continue;
                }
                column.setString(1, t.table().quoted());
                column.setString(2, t.incrementColumn());
                try (ResultSet rs = column.executeQuery()) {
                    if (!rs.next()) {
                        problems.add("column " + t.incrementColumn() + " of table " + t.table()
                                + " does not exist on the primary");
                    } else if (!"timestamp with time zone".equals(rs.getString(1))) {
                        problems.add("increment column " + t.incrementColumn() + " of table " + t.table() + " is "
                                + rs.getString(1) + ", not timestamptz");
                    }
                }
                if (t.kind() == TableKind.LOOKUP && TableCopier.primaryKey(primary, t.table()).isEmpty()) {
                    problems.add("lookup table " + t.table() + " has no primary key on the primary");
                }
            }
        }
        return problems;
    }

    private static boolean single(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
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
