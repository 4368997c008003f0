package dev.sco.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.platform.demo.SampleDataGenerator;
import dev.sco.orchestrator.platform.demo.SampleSchema;
import dev.sco.orchestrator.platform.demo.SampleTable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * P5: a sync run of the demo pair of a running orchestrator ({@code POST /api/sync/demo-primary/runs})
 * against the raw pipe between the same two PostgreSQL servers, for the same tables and rows: for
 * every table {@code COPY (select * from t) TO STDOUT (FORMAT binary)} read by PgJDBC's CopyManager
 * and written into {@code COPY t FROM STDIN (FORMAT binary)}, one table after the other.
 */
final class SyncThroughput {

    static final String PRIMARY = "demo-primary";
    static final String FAILOVER = "demo-failover";
    static final int DAYS = 7;
    static final int NOTHING_NEW_RUNS = 3;
    static final String TABLES = SampleSchema.TABLES.stream().map(t -> SampleSchema.SCHEMA + "." + t.name())
            .collect(Collectors.joining(", "));
    /** Events of the uncounted round before the first size. */
    static final int WARM_UP_EVENTS = 50_000;
    private static final Duration RUN_LIMIT = Duration.ofMinutes(15);
    /**
     * Between two looks at the run log while a run is going. Each look is a request and a few
     * queries in the service, which compete with the copy for the two processors (polled every
     * 20 ms, a run of 220,000 rows took up to 15% longer); the measured time is the run's own
     * record, so polling less often only coarsens the wall time.
     */
    static final Duration POLL = Duration.ofMillis(250);

    /** One size: rows on the primary, the sync run, the runs that found nothing new, the raw pipe. */
    record Result(int events, boolean rawFirst, long rows, long rowsCopied, double syncMillis, double syncWallMillis,
                  List<Double> nothingNewMillis, double rawMillis) {

        double ratio() {
            return syncMillis > 0 ? rawMillis / syncMillis : 0;
        }
    }

    private final ApiClient api;
    private final String user;
    private final String primaryUrl;
    private final String failoverUrl;

    SyncThroughput(ApiClient api, String user) throws IOException, InterruptedException {
        this.api = api;
        this.user = user;
        this.primaryUrl = api.get("/api/databases/" + PRIMARY, user).get("jdbcUrl").asText();
        this.failoverUrl = api.get("/api/databases/" + FAILOVER, user).get("jdbcUrl").asText();
    }

    /**
     * One round of one size: empties the primary's sample tables and fills them with {@code events}
     * events (and alerts, parameters and samples, see {@link SampleDataGenerator}), then times the
     * sync run (followed by {@link #NOTHING_NEW_RUNS} runs with nothing new) and the raw pipe, in
     * the order asked. Each of the two starts from the same state: the failover's tables emptied
     * (their partitions kept), a checkpoint on both servers. Both sides must hold the same number
     * of rows after each.
     */
    Result measure(int events, boolean rawFirst) throws IOException, InterruptedException, SQLException {
        try (Connection primary = connect(primaryUrl); Connection failover = connect(failoverUrl)) {
            execute(primary, "truncate " + TABLES + " cascade");
            SampleDataGenerator.generate(new SingleConnectionDataSource(primary, true), Instant.now(),
                    Math.max(1, events / 10), Math.max(1, events / DAYS), DAYS);
            execute(primary, "vacuum analyze");
            long rows = rows(primary);
            // Both the sync run and the raw pipe start from a failover side whose partitions exist
            // (the pipe cannot create them); a first run's one-off partition DDL is not copy throughput.
            SampleSchema.ensurePartitions(new SingleConnectionDataSource(failover, true),
                    java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(DAYS + 1L),
                    java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1));

            double rawMillis = 0;
            if (rawFirst) {
                rawMillis = timeRawPipe(primary, failover, rows, events);
            }
            startFrom(primary, failover);
            JsonNode sync = run();
            long copied = 0;
            for (JsonNode task : sync.path("tasks")) {
                copied += task.path("rowsCopied").asLong();
            }
            double syncMillis = millis(sync);
            double syncWall = sync.path("wallMillis").asDouble();
            if (rows(failover) != rows) {
                throw new IllegalStateException("P5 " + events + " events: the sync run left " + rows(failover)
                        + " rows on " + FAILOVER + ", the primary holds " + rows);
            }
            List<Double> nothingNew = new ArrayList<>();
            for (int i = 0; i < NOTHING_NEW_RUNS; i++) {
                nothingNew.add(millis(run()));
            }
            if (!rawFirst) {
                rawMillis = timeRawPipe(primary, failover, rows, events);
            }
            return new Result(events, rawFirst, rows, copied, syncMillis, syncWall, nothingNew, rawMillis);
        }
    }

    /** The failover's sample tables emptied (partitions kept), then a checkpoint on both servers. */
    private static void startFrom(Connection primary, Connection failover) throws SQLException {
        execute(failover, "truncate " + TABLES + " cascade");
        execute(failover, "checkpoint");
        execute(primary, "checkpoint");
    }

    private static double timeRawPipe(Connection primary, Connection failover, long rows, int events)
            throws SQLException {
        startFrom(primary, failover);
        long t0 = System.nanoTime();
        rawPipe(primary, failover);
        double rawMillis = (System.nanoTime() - t0) / 1e6;
        if (rows(failover) != rows) {
            throw new IllegalStateException("P5 " + events + " events: the raw pipe left " + rows(failover)
                    + " rows on " + FAILOVER + ", the primary holds " + rows);
        }
        return rawMillis;
    }

    /** Starts a run and polls its record every {@link #POLL} until it ended; adds the wall time as {@code wallMillis}. */
    private JsonNode run() throws IOException, InterruptedException {
        long sent = System.nanoTime();
        long runId = api.post("/api/sync/" + PRIMARY + "/runs", user, "").get("runId").asLong();
        long deadline = sent + RUN_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode view = api.get("/api/sync/" + PRIMARY + "/runs?limit=5", user);
            for (JsonNode run : view.path("runs")) {
                if (run.path("id").asLong() == runId && !run.path("endedAt").isNull()
                        && !run.path("endedAt").isMissingNode()) {
                    long wall = System.nanoTime() - sent;
                    if (!"succeeded".equals(run.path("result").asText())) {
                        throw new IllegalStateException("sync run " + runId + " ended " + run.path("result").asText()
                                + ": " + run.path("error").asText());
                    }
                    ((com.fasterxml.jackson.databind.node.ObjectNode) run).put("wallMillis", wall / 1e6);
                    return run;
                }
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("sync run " + runId + " did not end within " + RUN_LIMIT);
    }

    /** The run's own start and end, as the orchestrator recorded them. */
    private static double millis(JsonNode run) {
        return Duration.between(ApiClient.instant(run.get("startedAt")), ApiClient.instant(run.get("endedAt")))
                .toNanos() / 1e6;
    }

    private static void rawPipe(Connection primary, Connection failover) throws SQLException {
        CopyManager from = primary.unwrap(PGConnection.class).getCopyAPI();
        CopyManager to = failover.unwrap(PGConnection.class).getCopyAPI();
        for (SampleTable table : SampleSchema.TABLES) {
            String name = SampleSchema.SCHEMA + "." + table.name();
            CopyOut out = from.copyOut("COPY (select * from " + name + ") TO STDOUT (FORMAT binary)");
            CopyIn in = to.copyIn("COPY " + name + " FROM STDIN (FORMAT binary)");
            try {
                byte[] buffer;
                while ((buffer = out.readFromCopy()) != null) {
                    in.writeToCopy(buffer, 0, buffer.length);
                }
                in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
                if (out.isActive()) {
                    out.cancelCopy();
                }
            }
        }
    }

    private static long rows(Connection connection) throws SQLException {
        long total = 0;
        for (SampleTable table : SampleSchema.TABLES) {
            try (Statement statement = connection.createStatement();
                 var rs = statement.executeQuery("select count(*) from " + SampleSchema.SCHEMA + "." + table.name())) {
                rs.next();
                total += rs.getLong(1);
            }
        }
        return total;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("ApplicationName", "sco-bench-p5");
        Connection connection = DriverManager.getConnection(url, properties);
        connection.setAutoCommit(true);
        return connection;
    }
}
