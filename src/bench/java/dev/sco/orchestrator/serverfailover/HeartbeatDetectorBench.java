package dev.sco.orchestrator.serverfailover;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariDataSource;
import dev.sco.bench.BenchDatabase;
import dev.sco.orchestrator.platform.decision.BenchDecisionRecorders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * P2: one pass of the heartbeat detector ({@link HeartbeatDetector#pass(Instant)}, the code the
 * Quartz job runs) over N servers, on the project's schema in an embedded PostgreSQL, without
 * Spring and without the engine. The only engine call of a pass, starting a failover process for
 * each claimed outage, is replaced by {@link RecordingStarts}, which hands back an id of its own:
 * the process start is engine work measured by P7, not detection.
 */
public final class HeartbeatDetectorBench implements AutoCloseable {

    /** Down servers among the N: few, as in a real pass; each has two open sessions to close. */
    public static final int DOWN = 10;

    /** One run: the pass that finds the {@link #DOWN} servers, then a pass that finds nothing new. */
    public record Run(int servers, int down, int claimed, int started, double actingMillis, double quietMillis) {
    }

    /** Starts nothing: answers an id per outage, so the detector records it as started. */
    static final class RecordingStarts extends ServerFailoverProcesses {

        private final AtomicInteger started = new AtomicInteger();

        RecordingStarts() {
            super(null, null);
        }

        @Override
        String start(Outage outage) {
            started.incrementAndGet();
            return "p2-not-started-" + outage.id();
        }

        @Override
        boolean backOnline(Outage outage) {
            return false;
        }
    }

    private final BenchDatabase database;
    private final JdbcClient jdbc;
    private final HeartbeatDetector detector;

    private HeartbeatDetectorBench(BenchDatabase database) {
        this.database = database;
        HikariDataSource dataSource = database.dataSource();
        this.jdbc = JdbcClient.create(dataSource);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        // The defaults of application.yaml: 60 s interval, 30 s grace, 10 min cool-down.
        ServerFailoverSettings settings = new ServerFailoverSettings(Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofMinutes(10));
        this.detector = new HeartbeatDetector(new OutageRepository(jdbc), new RecordingStarts(),
                BenchDecisionRecorders.create(jdbc, transactions), settings, transactions,
                Clock.systemUTC(), dev.sco.orchestrator.pause.BenchPauses.create(jdbc));
    }

    /** Starts PostgreSQL under {@code dataRoot} and applies the project's migrations. */
    public static HeartbeatDetectorBench start(Path dataRoot) {
        return new HeartbeatDetectorBench(BenchDatabase.start(dataRoot, "p2"));
    }

    /**
     * Replaces the fleet by {@code servers} servers (period 180 s, one standby), all Up but
     * {@link #DOWN} whose last heartbeat is 10 minutes old, and measures {@code runs} runs. Before
     * each run the outages of the previous one are removed, so its Down servers are fresh again.
     */
    public List<Run> measure(int servers, int runs) {
        jdbc.sql("truncate server_outage, server_session, sensor_decision, server cascade").update();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("insert into server (name, kind, unresponsive_period_seconds, last_ping_at) "
                + "values ('p2-standby', 'management', 180, ?)").param(at(now)).update();
        int every = Math.max(1, servers / DOWN);
        jdbc.sql("""
                        insert into server (name, kind, standby, unresponsive_period_seconds, last_ping_at)
                        select 'p2-server-' || lpad(i::text, 7, '0'), 'management', 'p2-standby', 180,
                               case when i % ? = 0 and i / ? <= ? then ?::timestamptz - interval '10 minutes'
                                    else ?::timestamptz end
                          from generate_series(1, ?) as i""")
                .params(every, every, DOWN, at(now), at(now), servers).update();
        jdbc.sql("""
                        insert into server_session (server, opened_at)
                        select s.name, now() from server s, generate_series(1, 2)
                         where s.last_ping_at < now() - interval '5 minutes'""").update();
        jdbc.sql("analyze").update();
        int down = Math.min(DOWN, servers);
        List<Run> result = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            jdbc.sql("delete from server_outage").update();
            jdbc.sql("update server_session set closed_at = null, closed_reason = null").update();
            Instant passAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            long t0 = System.nanoTime();
            HeartbeatDetector.Pass acting = detector.pass(passAt);
            long t1 = System.nanoTime();
            HeartbeatDetector.Pass quiet = detector.pass(passAt.plusSeconds(1));
            long t2 = System.nanoTime();
            int closed = jdbc.sql("select count(*) from server_session where closed_reason = 'server down'")
                    .query(Integer.class).single();
            if (acting.down() != down || acting.claimed() != down || acting.started() != down || closed != 2 * down
                    || quiet.down() != 0 || quiet.started() != 0) {
                throw new IllegalStateException("P2 " + servers + " servers: expected " + down + " Down, claimed, "
                        + "started and " + 2 * down + " sessions closed, then a quiet pass; got " + acting + ", "
                        + closed + " sessions closed, then " + quiet);
            }
            result.add(new Run(servers, acting.down(), acting.claimed(), acting.started(), (t1 - t0) / 1e6,
                    (t2 - t1) / 1e6));
        }
        return result;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    @Override
    public void close() {
        database.close();
    }
}
