package dev.sco.orchestrator;

import dev.sco.orchestrator.platform.continuity.PairTables;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Registers a pair's sync tables straight into the orchestrator database, as the store keeps
 * them, for test estates built with SQL (their endpoints are inserted the same way). Tests of the
 * API itself use {@code PUT /api/sync/{database}/tables}.
 */
public final class PairTablesSql {

    private PairTablesSql() {
    }

    public static void register(JdbcClient orchestrator, String primary, PairTables.TableList list) {
        orchestrator.sql("""
                        insert into sync_table_set (database, schema_name, updated_at, updated_by)
                        values (?, ?, now(), 'test')""")
                .params(primary, list.schema()).update();
        for (int i = 0; i < list.tables().size(); i++) {
            PairTables.Table t = list.tables().get(i);
            orchestrator.sql("""
                            insert into sync_table (database, position, table_name, kind, increment_column, kpi)
                            values (?, ?, ?, ?, ?, ?)""")
                    .params(primary, i, t.name(), t.kind(), t.incrementColumn(), t.kpi()).update();
        }
    }
}
