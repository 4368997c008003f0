package dev.sco.orchestrator.platform.target;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Partitions recreated from the catalog of the database that has them ({@code pg_inherits},
 * {@code pg_partitioned_table}, {@code pg_get_expr(relpartbound)}), whatever the application and
 * however it creates them: a sync run mirrors the primary's partitions onto the failover
 * database, a restoration's copy back the failover database's onto the primary.
 */
public final class Partitions {

    private Partitions() {
    }

    /**
     * Creates on {@code to} every partition of {@code parent} that {@code from} has and {@code to}
     * lacks, with the same bounds, sub-partitions included (a partition that is itself partitioned
     * gets the same partition key). Returns how many were created. Runs in the caller's transaction.
     */
    public static int mirror(Connection from, Connection to, TableRef parent) throws SQLException {
        record Partition(String name, String bound, String partitionKey) {
        }
        List<Partition> partitions = new ArrayList<>();
        try (PreparedStatement list = from.prepareStatement("""
                select c.relname, pg_get_expr(c.relpartbound, c.oid),
                       case when p.partrelid is not null then pg_get_partkeydef(c.oid) end
                from pg_inherits i join pg_class c on c.oid = i.inhrelid
                left join pg_partitioned_table p on p.partrelid = c.oid
                where i.inhparent = to_regclass(?) and c.relispartition order by c.relname""")) {
            list.setString(1, parent.quoted());
            try (ResultSet rs = list.executeQuery()) {
                while (rs.next()) {
                    partitions.add(new Partition(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        if (partitions.isEmpty()) {
            return 0;
        }
        // One round trip for all of them: which of the partitions the target lacks.
        List<String> missing = new ArrayList<>();
        try (PreparedStatement absent = to.prepareStatement(
                "select p from unnest(?::text[]) p where to_regclass(p) is null")) {
            absent.setArray(1, to.createArrayOf("text", partitions.stream()
                    .map(p -> TableRef.of(parent.schema(), p.name()).quoted()).toArray()));
            try (ResultSet rs = absent.executeQuery()) {
                while (rs.next()) {
                    missing.add(rs.getString(1));
                }
            }
        }
        int created = 0;
        try (Statement ddl = to.createStatement()) {
            for (Partition partition : partitions) {
                TableRef child = TableRef.of(parent.schema(), partition.name());
                if (missing.contains(child.quoted())) {
                    String bound = partition.bound();
                    if (!bound.startsWith("FOR VALUES ") && !bound.equals("DEFAULT")) {
                        throw new SQLException("unexpected partition bound of " + child + ": " + bound);
                    }
                    String key = partition.partitionKey();
                    if (key != null && !key.matches("(RANGE|LIST|HASH) \\(.*\\)")) {
                        throw new SQLException("unexpected partition key of " + child + ": " + key);
                    }
                    ddl.execute("CREATE TABLE " + child.quoted() + " PARTITION OF " + parent.quoted() + " " + bound
                            + (key == null ? "" : " PARTITION BY " + key));
                    created++;
                }
                if (partition.partitionKey() != null) {
                    created += mirror(from, to, child);
                }
            }
        }
        return created;
    }
}
