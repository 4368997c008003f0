package dev.sco.orchestrator.dbfailover;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.sco.orchestrator.platform.target.TableRef;

/**
 * Catalog look-ups of a database a set of tables is rewritten on (a copy back, a restore of a
 * backup): the tables in foreign-key order, and the user triggers to hold off while rows that
 * already carry their triggers' work arrive.
 */
final class TargetTables {

    private TargetTables() {
    }

    /** The enabled, non-internal triggers of the tables (table, trigger), those of partitions left to their parent. */
    static List<String[]> enabledUserTriggers(Connection connection, String schema, List<String> tables)
            throws SQLException {
        List<String[]> triggers = new ArrayList<>();
        try (var s = connection.prepareStatement("""
                select c.relname, t.tgname from pg_trigger t
                  join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = ? and c.relname = any(?) and not t.tgisinternal and t.tgenabled <> 'D'
                   and t.tgparentid = 0
                 order by c.relname, t.tgname""")) {
            s.setString(1, schema);
            s.setArray(2, connection.createArrayOf("text", tables.toArray()));
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        return triggers.stream().map(t -> new String[] {TableRef.of(schema, t[0]).quoted(), quote(t[1])}).toList();
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static void setTriggers(Connection connection, List<String[]> triggers, String action) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String[] trigger : triggers) {
                s.execute("alter table " + trigger[0] + " " + action + " trigger " + trigger[1]);
            }
        }
    }

    /**
     * The given tables of the schema, every table after the tables its foreign keys reference
     * (as the primary has them); a listed table the primary lacks fails the copy, naming it.
     */
    static List<String> parentsFirst(Connection connection, String schema, List<String> listed)
            throws SQLException {
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (String table : listed) {
            parents.put(table, new LinkedHashSet<>());
        }
        Set<String> present = new LinkedHashSet<>();
        try (var s = connection.prepareStatement("""
                     select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                      where n.nspname = ? and c.relkind in ('r', 'p') and not c.relispartition""")) {
            s.setString(1, schema);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        for (String table : listed) {
            if (!present.contains(table)) {
                throw new SQLException("table " + schema + "." + table + " does not exist on the target");
            }
        }
        try (var s = connection.prepareStatement("""
                     select child.relname, parent.relname from pg_constraint k
                       join pg_class child on child.oid = k.conrelid
                       join pg_class parent on parent.oid = k.confrelid
                       join pg_namespace n on n.oid = k.connamespace
                      where k.contype = 'f' and n.nspname = ? and k.conparentid = 0""")) {
            s.setString(1, schema);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    if (parents.containsKey(rs.getString(1)) && !rs.getString(1).equals(rs.getString(2))) {
                        parents.get(rs.getString(1)).add(rs.getString(2));
                    }
                }
            }
        }
        List<String> ordered = new ArrayList<>();
        while (ordered.size() < parents.size()) {
            boolean progressed = false;
            for (Map.Entry<String, Set<String>> e : parents.entrySet()) {
                if (!ordered.contains(e.getKey()) && ordered.containsAll(e.getValue().stream()
                        .filter(parents::containsKey).toList())) {
                    ordered.add(e.getKey());
                    progressed = true;
                }
            }
            if (!progressed) {
                throw new IllegalStateException("Foreign keys of schema " + schema + " form a cycle: " + parents);
            }
        }
        return ordered;
    }

}
