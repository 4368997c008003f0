package dev.sco.orchestrator.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.zaxxer.hikari.HikariDataSource;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.AsSystem;
import dev.sco.orchestrator.platform.continuity.SyncControl;
import dev.sco.orchestrator.platform.target.ScriptRunner;
import dev.sco.orchestrator.platform.target.TargetDatabaseException;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Timeouts on the orchestrator's own pool and on every statement a restoration sends to a target. */
@OrchestratorTest
class TimeoutsTest {

    @Autowired
    DatabaseRoles roles;
    @Autowired
    dev.sco.orchestrator.platform.continuity.PairTables pairTables;
    @Autowired
    HikariDataSource orchestratorPool;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    FailoverRepository repository;
    @Autowired
    TargetDatabases targets;
    @Autowired
    ScriptRunner scripts;
    @Autowired
    SyncControl sync;
    @Autowired
    RuntimeService runtime;
    @Autowired
    AsSystem system;
    @Autowired
    Fencing fencing;

    private FailoverEstate estate;

    @BeforeEach
    void estate() throws Exception {
        estate = new FailoverEstate(jdbc);
    }

    @AfterEach
    void close() {
        jdbc.sql("update continuity_operation set ended_at = now() where database = ? and ended_at is null")
                .param(estate.primary).update();
        estate.close();
    }

    @Test
    void theOrchestratorPoolHasASocketTimeoutAndKeepalive() throws Exception {
        assertThat(orchestratorPool.getDataSourceProperties()).containsEntry("socketTimeout", "600")
                .containsEntry("tcpKeepAlive", "true");
        try (Connection connection = orchestratorPool.getConnection()) {
            assertThat(connection.getNetworkTimeout()).as("the driver applied it to the socket")
                    .isEqualTo(600_000);
        }
    }

    /**
     * A session on the primary holds a lock the copy back's truncate needs: with the copy timeout
     * of 1 s the server cancels the truncate (before, {@code statement_timeout = 0} waited for
     * ever, and this test would hit its own limit).
     */
    @Test
    void copyBackIsCancelledAtTheCopyTimeout() throws Exception {
        long failover = repository.insertFailover(estate.primary, estate.failover, "unplanned", "test", "timeouts",
                null, Instant.now()).orElseThrow();
        jdbc.sql("update continuity_operation set ended_at = now(), state = 'failed-over' where id = ?").param(failover)
                .update();
        long restoration = jdbc.sql("""
                insert into continuity_operation (kind, mode, database, failover_database, requested_by, reason,
                                                  requested_at, state, restores_operation_id)
                values ('restoration', 'restore', ?, ?, 'test', 'timeouts', now(), 'requested', ?) returning id""")
                .params(estate.primary, estate.failover, failover).query(Long.class).single();
        RestorationService restorations = new RestorationService(repository, jdbc, targets, scripts,
                copyTimeout(Duration.ofSeconds(1)), runtime, system, Clock.systemUTC(), fencing, roles, pairTables);

        try (Connection holder = estate.connectToPrimary(); Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("lock table monitored.alert in access share mode");
            long started = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    assertThatThrownBy(() -> restorations.copyBack(restoration))
                            .isInstanceOf(TargetDatabaseException.class)
                            .hasMessageContaining("statement timeout"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            holder.rollback();
        }
    }

    /** The real sync contract, with another copy timeout. */
    private SyncControl copyTimeout(Duration timeout) {
        return new SyncControl() {
            @Override
            public Optional<Instant> lastSuccessfulCheckpoint(String primary) {
                return sync.lastSuccessfulCheckpoint(primary);
            }

            @Override
            public List<TableCheckpoint> tableCheckpoints(String primary) {
                return sync.tableCheckpoints(primary);
            }

            @Override
            public Duration interval(String primary) {
                return sync.interval(primary);
            }

            @Override
            public void stop(String primary) {
                sync.stop(primary);
            }

            @Override
            public boolean running(String primary) {
                return sync.running(primary);
            }

            @Override
            public void runNow(String primary) {
                sync.runNow(primary);
            }

            @Override
            public Duration copyTimeout() {
                return timeout;
            }

            @Override
            public void reinstall(String primary) {
                sync.reinstall(primary);
            }

            @Override
            public FullCopyPlan fullCopyPlan(String primary, String source) {
                return sync.fullCopyPlan(primary, source);
            }

            @Override
            public void recordCopyBack(String primary, String source, long rows, Duration took) {
                sync.recordCopyBack(primary, source, rows, took);
            }
        };
    }
}
