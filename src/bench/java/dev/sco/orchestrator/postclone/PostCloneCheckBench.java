package dev.sco.orchestrator.postclone;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import dev.sco.bench.BenchDatabase;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * P3: the database work of a post-clone check over N pre-clone agents, on the project's own
 * schema (Flyway migrations) in an embedded PostgreSQL started as the orchestrator starts it.
 * <p>
 * Each step runs the repository calls of the matching {@link PostCloneService} method in one
 * transaction, in the same order; only the operator task process started per new issue is left
 * out (it is engine work, one process start per issue, and not part of P3's target).
 */
public final class PostCloneCheckBench implements AutoCloseable {

    /** Timings of one clone: snapshot, first check (issues inserted), second check (repeat detection). */
    public record Run(int agents, int snapshotSize, int firstCheckDown, int newIssues, int secondCheckDown,
                      double snapshotMillis, double firstCheckMillis, double secondCheckMillis) {

        public double snapshotAndFirstCheckMillis() {
            return snapshotMillis + firstCheckMillis;
        }
    }

    private final BenchDatabase database;
    private final JdbcClient jdbc;
    private final PostCloneRepository repository;
    private final TransactionTemplate transaction;
    private int clones;

    private PostCloneCheckBench(BenchDatabase database) {
        this.database = database;
        HikariDataSource dataSource = database.dataSource();
        this.jdbc = JdbcClient.create(dataSource);
        this.repository = new PostCloneRepository(jdbc);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** Starts PostgreSQL under {@code dataRoot} and applies the project's migrations. */
    public static PostCloneCheckBench start(Path dataRoot) {
        return new PostCloneCheckBench(BenchDatabase.start(dataRoot, "p3"));
    }

    /**
     * Registers {@code agents} agents on a new instance in one statement (every second one Down,
     * all created an hour before the clone), then measures {@code runs} clones of that instance.
     * Issues of earlier clones are removed before each run so that its first check inserts them all.
     */
    public List<Run> measure(int agents, int runs) {
        String instance = "p3-instance-" + agents + "-" + System.nanoTime();
        jdbc.sql("""
                insert into agent (name, instance, username, status, registration, status_changed_at, created_at)
                select :instance || '-agent-' || g, :instance, 'mid.user.' || g,
                       case when g % 2 = 0 then 'Down' else 'Up' end, 'automatic',
                       now() - interval '1 hour', now() - interval '1 hour'
                  from generate_series(1, :agents) g""")
                .param("instance", instance).param("agents", agents).update();
        jdbc.sql("analyze agent").update();
        List<Run> result = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            result.add(oneClone(instance, agents));
        }
        return result;
    }

    private Run oneClone(String instance, int agents) {
        jdbc.sql("truncate agent_issue").update();
        String cloneId = "p3-clone-" + (++clones);
        Instant completedAt = Instant.now();
        // What POST /api/clones does before the process exists.
        repository.insertClone(cloneId, instance, completedAt, completedAt, "bench");

        long t0 = System.nanoTime();
        int snapshot = inTransaction(() -> {
            repository.insertClone(cloneId, instance, completedAt, Instant.now(), "engine-rest");
            return repository.captureSnapshot(cloneId, instance, completedAt);
        });
        long t1 = System.nanoTime();
        int[] first = check(cloneId, 1);
        long t2 = System.nanoTime();
        // Each new issue now has its operator task; the process start itself is not measured.
        jdbc.sql("update agent_issue set operator_process_id = 'p3-task-' || id where clone_id = ?")
                .param(cloneId).update();
        long t3 = System.nanoTime();
        int[] second = check(cloneId, 2);
        long t4 = System.nanoTime();

        int expectedDown = agents / 2;
        int repeated = jdbc.sql("select count(*) from agent_issue where clone_id = ? and detection_count = 2")
                .param(cloneId).query(Integer.class).single();
        if (snapshot != agents || first[0] != expectedDown || first[1] != expectedDown || second[0] != expectedDown
                || second[1] != 0 || repeated != expectedDown) {
            throw new IllegalStateException("P3 " + cloneId + ": expected " + agents + " in the snapshot and "
                    + expectedDown + " issues; got snapshot " + snapshot + ", check 1 down " + first[0] + " new "
                    + first[1] + ", check 2 down " + second[0] + " new " + second[1] + ", repeated " + repeated);
        }
        return new Run(agents, snapshot, first[0], first[1], second[0],
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t4 - t3) / 1e6);
    }

    /** The database part of {@link PostCloneService#runCheck}: down agents and the issues still needing a task. */
    private int[] check(String cloneId, int checkNumber) {
        return inTransaction(() -> {
            Instant now = Instant.now();
            if (!repository.claimCheck(cloneId, checkNumber, now)) {
                throw new IllegalStateException("check " + checkNumber + " of " + cloneId + " already ran");
            }
            int down = repository.recordDownAgents(cloneId, checkNumber, now);
            int fresh = repository.issuesWithoutOperatorProcess(cloneId).size();
            return new int[] {down, fresh};
        });
    }

    private <T> T inTransaction(Supplier<T> work) {
        return transaction.execute(status -> work.get());
    }

    @Override
    public void close() {
        database.close();
    }
}
