package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.Decisions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.continuity.SyncControl;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The primary's server process is killed (SIGKILL) while a consumer writes: the health probe
 * starts the failover, the DBA approves and acknowledges the unfenced primary, the consumer
 * follows its binding to the new primary and writes there, verification passes, and the rows
 * lost are exactly the acknowledged writes after the last sync checkpoint (the data-loss window
 * shown at approval).
 */
@OrchestratorTest
class PrimaryKilledWhileWritingTest {

    @Autowired
    ProcessEngine engine;
    @Autowired
    dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    SyncControl sync;
    @Autowired
    DatabaseHealthProbe probe;
    @Autowired
    FailoverService failovers;
    @Autowired
    dev.sco.orchestrator.platform.decision.DecisionRecorder decisions;

    private FailoverEstate estate;
    private Writer writer;

    @AfterEach
    void stop() throws Exception {
        if (writer != null) {
            writer.stop();
        }
        if (estate != null) {
            estate.close();
        }
    }

    @Test
    void failoverAfterAKilledPrimaryLosesExactlyTheWindowShownAtApproval() throws Exception {
        estate = new FailoverEstate(jdbc, true);
        estate.follow(estate.consumers.get(1));
        long initial = estate.count(true, "select count(*) from monitored.alert");
        writer = new Writer(estate.consumers.get(0));
        writer.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.onPrimary.size() >= 20);

        writer.pauseAndWait();
        sync.runNow(estate.primary);
        Instant checkpoint = sync.lastSuccessfulCheckpoint(estate.primary).orElseThrow();
        writer.resume();
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.onPrimary.stream().filter(t -> t.isAfter(checkpoint))
                .count() >= 10);
        estate.killPrimary();
        Instant killedAt = Instant.now();

        for (int i = 0; i < 3; i++) {
            probe.pass();
        }
        long operationId = jdbc.sql("select id from continuity_operation where database = ? and kind = 'failover'")
                .param(estate.primary).query(Long.class).single();
        ContinuityOperation op = failovers.operation(operationId);
        assertThat(op.requestedBy()).isEqualTo(DatabaseHealthProbe.REQUESTED_BY);
        ProcessInstance failover = engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(op.processInstanceId()).singleResult();
        jobs().run(failover);
        String window = (String) engine.getRuntimeService().getVariable(failover.getId(),
                DatabaseFailoverProcess.VAR_DATA_LOSS_WINDOW);
        complete(failover, Map.of("approved", true));
        jobs().run(failover);
        complete(failover, Map.of("acknowledged", true));
        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        estate.follow(estate.consumers.get(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> !writer.onFailover.isEmpty());
        jobs().run(failover);

        assertThat(failover).hasPassed(DatabaseFailoverProcess.END_FAILED_OVER).isEnded();
        assertThat(window).contains(checkpoint.toString());
        List<Instant> acknowledged = List.copyOf(writer.onPrimary);
        long lostByWindow = acknowledged.stream().filter(t -> t.isAfter(checkpoint)).count();
        long survivedOnFailover = estate.count(false, "select count(*) from monitored.alert where created_at <= '"
                + Timestamp.from(killedAt).toInstant() + "'");
        assertThat(lostByWindow).isGreaterThanOrEqualTo(10);
        assertThat(initial + acknowledged.size() - survivedOnFailover).isEqualTo(lostByWindow);

        // Issue 13: the dead old primary used to keep role primary, and the probe started a second
        // failover of it right after the first ended. Now it is failed and only watched for its return.
        assertThat(actingRole(estate.primary)).isEqualTo("failed");
        assertThat(actingRole(estate.failover)).isEqualTo("primary");
        for (int i = 0; i < 20; i++) {
            probe.pass();
        }
        assertThat(jdbc.sql("select count(*) from continuity_operation where database = ? and kind = 'failover'")
                .param(estate.primary).query(Long.class).single()).as("no second failover").isEqualTo(1);
        assertThat(decisions.recent(DatabaseHealthProbe.SENSOR, estate.primary, 100)).filteredOn(d -> d.reason()
                .contains("probed for its return only")).hasSize(1);
    }

    private String actingRole(String database) {
        return jdbc.sql("select acting_role from database_endpoint where name = ?").param(database)
                .query(String.class).single();
    }

    private void complete(ProcessInstance instance, Map<String, Object> variables) {
        Decisions.completeAs(engine, "dba", "dba", engine.getTaskService().createTaskQuery()
                .processInstanceId(instance.getId()).singleResult().getId(), variables);
    }

    private ProcessJobs jobs() {
        return new ProcessJobs(engine, longSteps);
    }

    /** A management server that writes alerts wherever its binding points, reconnecting when it changes. */
    private final class Writer implements Runnable {

        final List<Instant> onPrimary = new CopyOnWriteArrayList<>();
        final List<Instant> onFailover = new CopyOnWriteArrayList<>();
        private final String consumer;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile boolean pause;
        private volatile boolean idle;
        private Connection connection;
        private String connectedTo;

        Writer(String consumer) {
            this.consumer = consumer;
            this.thread = new Thread(this, "writer-" + consumer);
        }

        void start() {
            thread.start();
        }

        void pauseAndWait() {
            pause = true;
            await().atMost(Duration.ofSeconds(10)).until(() -> idle);
        }

        void resume() {
            pause = false;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }

        @Override
        public void run() {
            while (running) {
                if (pause) {
                    idle = true;
                    sleep(5);
                    continue;
                }
                idle = false;
                try {
                    String database = estate.boundTo(consumer);
                    if (!database.equals(connectedTo)) {
                        connect(database);
                    }
                    try (PreparedStatement insert = connection.prepareStatement("""
                            insert into monitored.alert (computer_id, rule_id, severity, state, raised_at)
                            select computer_id, rule_id, 1, 'new', now() from monitored.alert order by id limit 1
                            returning created_at""");
                         ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        (database.equals(estate.primary) ? onPrimary : onFailover).add(rs.getTimestamp(1).toInstant());
                    }
                } catch (SQLException | RuntimeException e) {
                    close();
                    sleep(50);
                }
            }
            close();
        }

        private void connect(String database) throws SQLException {
            close();
            Properties props = new Properties();
            props.setProperty("user", "postgres");
            props.setProperty("ApplicationName", consumer);
            props.setProperty("connectTimeout", "2");
            connection = DriverManager.getConnection(database.equals(estate.primary) ? estate.primaryUrl()
                    : estate.failoverUrl(), props);
            connectedTo = database;
        }

        private void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // the server may be dead
                }
            }
            connection = null;
            connectedTo = null;
        }

        private void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
