package dev.sco.orchestrator.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import com.sun.net.httpserver.HttpServer;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.http.OutsideTransaction;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reconnect callouts after a repoint: a step of their own, after the repoint has committed,
 * with no transaction holding a lock while the consumer answers, carrying the operation so the
 * consumer can drop repeats, and retried by the engine only.
 */
@OrchestratorTest
class ReconnectCalloutTest {

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    OutsideTransaction outside;

    static final String CALLOUT_PASSWORD_ENV = "ORCHESTRATOR_TARGET_CALLOUT_TEST_RECONNECT";

    private FailoverEstate estate;
    private HttpServer consumerEndpoint;
    private volatile int answer = 204;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> seenByTheConsumer = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        BpmnAwareTests.init(engine);
        estate = new FailoverEstate(jdbc);
        estate.consumersFollowTheirBindings();
        consumerEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        consumerEndpoint.createContext("/reconnect", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            seenByTheConsumer.add(whatTheConsumerSees());
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        consumerEndpoint.start();
        jdbc.sql("update server set reconnect_url = ? where name = ?")
                .params("http://127.0.0.1:" + consumerEndpoint.getAddress().getPort() + "/reconnect",
                        estate.consumers.get(0)).update();
    }

    @AfterEach
    void stop() {
        consumerEndpoint.stop(0);
        engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(DatabaseFailoverProcess.KEY)
                .variableValueEquals(DatabaseFailoverProcess.VAR_DATABASE, estate.primary).list()
                .forEach(pi -> engine.getRuntimeService().deleteProcessInstance(pi.getId(), "test over"));
        estate.close();
    }

    /**
     * What a consumer sees when it is called: its binding (committed?) and whether it could lock
     * the bindings and the step ledger right now. A transaction that has written to either and is
     * still open (the old repoint, which called out in its own transaction) makes the lock fail.
     */
    private String whatTheConsumerSees() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String binding = jdbc.sql("select database from binding where consumer = ?").param(estate.consumers.get(0))
                    .query(String.class).single();
            c.setAutoCommit(false);
            try {
                s.execute("lock table binding, operation_step in share mode nowait");
                return binding + " / no lock held";
            } catch (java.sql.SQLException e) {
                return binding + " / locked: " + e.getMessage();
            } finally {
                c.rollback();
            }
        } catch (Exception e) {
            return "error: " + e;
        }
    }

    @Test
    void consumersAreToldAfterTheRepointCommittedWithTheOperationAndNoLockHeld() throws Exception {
        ProcessInstance failover = approvedFailover();
        jobs().runUntil(failover, DatabaseFailoverProcess.RECONNECT);
        assertThat(bodies).as("the repoint step itself calls nobody").isEmpty();

        jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);

        long operationId = operationId(failover);
        assertThat(bodies).hasSize(1);
        assertThat(bodies.get(0)).contains("\"operationId\":" + operationId, "\"consumer\":\"" + estate.consumers.get(0)
                + "\"", "\"database\":\"" + estate.failover + "\"");
        assertThat(keys).containsExactly("continuity-operation-" + operationId + "-reconnect-" + estate.consumers.get(0)
                + "-to-" + estate.failover);
        assertThat(seenByTheConsumer).containsExactly(estate.failover + " / no lock held");
        assertThat(stepRuns(failover, DatabaseFailoverProcess.RECONNECT)).isEqualTo(1);

        estate.consumersFollowTheirBindings();
        jobs().run(failover);
        assertThat(failover).hasPassed(DatabaseFailoverProcess.RECONNECT, DatabaseFailoverProcess.END_FAILED_OVER)
                .isEnded();
    }

    @Test
    void aReconnectAddressRegisteredThroughTheApiIsCalledWithItsCredentials() throws Exception {
        String consumer = estate.consumers.get(0);
        String url = "http://127.0.0.1:" + consumerEndpoint.getAddress().getPort() + "/reconnect";
        System.setProperty(CALLOUT_PASSWORD_ENV, "s3cret-reconnect");
        try {
            Api.Response put = new Api(port).as(Api.OPERATOR).put("/api/servers/" + consumer, "{\"kind\": \"management\", "
                    + "\"site\": \"east\", \"reconnectUrl\": \"" + url + "\", \"calloutAuth\": {\"username\": "
                    + "\"sco\", \"passwordEnv\": \"" + CALLOUT_PASSWORD_ENV + "\"}}");
            assertThat(put.status()).as(put.toString()).isIn(200, 201);
            assertThat(put.text("reconnectUrl")).isEqualTo(url);
            assertThat(put.body().get("calloutAuth").get("passwordEnv").asText()).isEqualTo(CALLOUT_PASSWORD_ENV);
            assertThat(put.toString()).doesNotContain("s3cret-reconnect");

            ProcessInstance failover = approvedFailover();
            jobs().runUntil(failover, DatabaseFailoverProcess.VERIFY);
        } finally {
            System.clearProperty(CALLOUT_PASSWORD_ENV);
        }

        assertThat(bodies).hasSize(1);
        assertThat(authorizations).containsExactly("Basic " + java.util.Base64.getEncoder()
                .encodeToString("sco:s3cret-reconnect".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aConsumerWhoseCalloutPasswordIsNotSetIsNotCalled() throws Exception {
        jdbc.sql("update server set callout_username = 'sco', callout_password_env = ? where name = ?")
                .params(CALLOUT_PASSWORD_ENV + "_UNSET", estate.consumers.get(0)).update();
        ProcessInstance failover = approvedFailover();
        jobs().runUntil(failover, DatabaseFailoverProcess.RECONNECT);
        Job step = engine.getManagementService().createJobQuery().processInstanceId(failover.getId()).singleResult();

        assertThatThrownBy(() -> engine.getManagementService().executeJob(step.getId()))
                .hasMessageContaining(estate.consumers.get(0));
        assertThat(bodies).as("no call without the credentials it was registered with").isEmpty();
    }

    @Test
    void aConsumerThatCannotBeToldFailsTheStepIntoTheEngineRetriesAndTheLastTryGoesOn() throws Exception {
        answer = 503;
        ProcessInstance failover = approvedFailover();
        jobs().runUntil(failover, DatabaseFailoverProcess.RECONNECT);
        ManagementService management = engine.getManagementService();
        Job step = management.createJobQuery().processInstanceId(failover.getId()).singleResult();

        assertThatThrownBy(() -> management.executeJob(step.getId())).hasMessageContaining(estate.consumers.get(0));
        assertThat(retries(step)).isEqualTo(2);
        assertThat(stepRuns(failover, DatabaseFailoverProcess.RECONNECT)).as("a failed try leaves no ledger row")
                .isZero();
        assertThatThrownBy(() -> management.executeJob(step.getId())).hasMessageContaining(estate.consumers.get(0));
        assertThat(retries(step)).isEqualTo(1);
        management.executeJob(step.getId());

        assertThat(bodies).as("one call per try, none repeated inside a try").hasSize(3);
        assertThat(keys).as("the same key on every try, so the consumer can drop repeats").hasSize(3)
                .containsOnly(keys.get(0));
        assertThat(engine.getRuntimeService().getVariable(failover.getId(),
                ReconnectConsumersDelegate.VAR_NOT_TOLD)).isEqualTo(estate.consumers.get(0));
        assertThat(failover).isWaitingAt(DatabaseFailoverProcess.VERIFY);
        assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(failover.getId()).count())
                .isZero();
        assertThat(stepRuns(failover, DatabaseFailoverProcess.RECONNECT)).isEqualTo(1);
    }

    @Test
    void aCalloutRunsWithTheCallersTransactionSuspended() {
        Boolean[] seen = new Boolean[2];
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            seen[0] = TransactionSynchronizationManager.isActualTransactionActive();
            seen[1] = outside.call(TransactionSynchronizationManager::isActualTransactionActive);
        });

        assertThat(seen[0]).isTrue();
        assertThat(seen[1]).isFalse();
    }

    private ProcessInstance approvedFailover() {
        Api.Response requested = new Api(port).post("/api/failovers", "{\"database\":\"" + estate.primary
                + "\",\"mode\":\"unplanned\",\"reason\":\"test of the reconnect callouts\",\"ticket\":\"CHG-2\"}");
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        ProcessInstance failover = engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(requested.body().get("processInstanceId").asText()).singleResult();
        jobs().run(failover);
        var approval = engine.getTaskService().createTaskQuery().processInstanceId(failover.getId()).singleResult();
        Api.Response approved = new Api(port).as(Api.DBA).post("/engine-rest/task/" + approval.getId() + "/submit-form",
                "{\"variables\": {\"approved\": {\"value\": true, \"type\": \"Boolean\"}}}");
        assertThat(approved.status()).as(approved.toString()).isEqualTo(204);
        return failover;
    }

    private long operationId(ProcessInstance instance) {
        return ((Number) engine.getRuntimeService().getVariable(instance.getId(), DatabaseFailoverProcess.VAR_OPERATION_ID))
                .longValue();
    }

    private int retries(Job job) {
        return engine.getManagementService().createJobQuery().jobId(job.getId()).singleResult().getRetries();
    }

    private long stepRuns(ProcessInstance instance, String step) {
        return jdbc.sql("select count(*) from operation_step where process_instance_id = ? and step = ?")
                .params(instance.getId(), step).query(Long.class).single();
    }

    private ProcessJobs jobs() {
        return new ProcessJobs(engine, longSteps);
    }
}
