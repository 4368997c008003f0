package dev.sco.orchestrator.platform.demo;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.target.ScriptExecutor;
import dev.sco.orchestrator.platform.target.SqlScript;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The sample monitored schema ({@code sql/sample/monitored-schema.sql}): what the demo primary
 * and failover databases hold, and what sync and failover are tested against.
 */
public final class SampleSchema {

    public static final String SCHEMA = "monitored";
    public static final String LOCATION = "sql/sample/monitored-schema.sql";

    /** In copy order: parents before children. */
    public static final List<SampleTable> TABLES = List.of(
            new SampleTable("rule_config", "non-referenced", null),
            new SampleTable("computer", "non-referenced", null),
            new SampleTable("alert", "referenced", "created_at"),
            new SampleTable("alert_history", "referenced", "created_at"),
            new SampleTable("alert_event", "referenced", "created_at"),
            new SampleTable("event", "partitioned", "created_at"),
            new SampleTable("event_parameter", "partitioned", "created_at"),
            new SampleTable("sample_numeric", "partitioned", "created_at"),
            new SampleTable("computer_lookup", "lookup", "updated_at"));

    /** The table the KPI "alerts handled on the failover database" counts. */
    public static final String KPI_TABLE = "alert";

    private SampleSchema() {
    }

    /** The sample's tables as a pair registers them for sync (the demo pair, and the tests' pairs). */
    public static PairTables.TableList tableList() {
        return new PairTables.TableList(SCHEMA, TABLES.stream()
                .map(t -> new PairTables.Table(t.name(), t.kind(), t.incrementColumn(), KPI_TABLE.equals(t.name())))
                .toList());
    }

    /** Creates (or completes) the schema; running it again changes nothing. */
    public static void install(DataSource target, String database) {
        ScriptExecutor.execute(target, database, SqlScript.classpath(LOCATION), Map.of(), false);
    }

    /** Daily partitions of every partitioned table for each day in [from, to] (UTC); returns how many were new. */
    public static int ensurePartitions(DataSource target, LocalDate from, LocalDate to) {
        return JdbcClient.create(target)
                .sql("select monitored.ensure_partitions(:from, :to)")
                .param("from", Date.valueOf(from))
                .param("to", Date.valueOf(to))
                .query(Integer.class).single();
    }
}
