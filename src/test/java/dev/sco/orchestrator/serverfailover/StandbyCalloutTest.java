package dev.sco.orchestrator.serverfailover;

import static dev.sco.orchestrator.Api.json;
import static dev.sco.orchestrator.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
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

/**
 * Sites and jobs registered through the API move with a server failover (gathering jobs stay),
 * the standby is told what it took over at its registered address with its credentials, the call
 * is recorded per outage, and a failback moves back exactly that and tells the server.
 */
@OrchestratorTest
class StandbyCalloutTest {

    static final String PASSWORD_ENV = "ORCHESTRATOR_TARGET_CALLOUT_TEST_STANDBY";
    static final String PASSWORD = "standby-callout-secret";

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    HeartbeatDetector detector;
    @Autowired
    OutageRepository outages;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();
    private volatile int answer = 204;
    private HttpServer receiver;
    private Api api;
    private Instant now;
    private String standby;
    private String failed;

    @BeforeEach
    void setUp() throws Exception {
        BpmnAwareTests.init(engine);
        System.setProperty(PASSWORD_ENV, PASSWORD);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            Map<String, String> call = new LinkedHashMap<>();
            call.put("path", exchange.getRequestURI().getPath());
            call.put("authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            call.put("key", exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            call.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            calls.add(call);
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        receiver.start();
        api = new Api(port).as(Api.OPERATOR);
        now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        standby = unique("standby");
        failed = unique("failed");
        putServer(standby, null, "/standby/assignments");
        putServer(failed, standby, "/failed/assignments");
        ping(standby, now);
        ping(failed, now.minus(Duration.ofMinutes(10)));
    }

    @AfterEach
    void tearDown() {
        receiver.stop(0);
        System.clearProperty(PASSWORD_ENV);
        clock.reset();
    }

    private void putServer(String name, String standbyOf, String path) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", "management");
        if (standbyOf != null) {
            body.put("standby", standbyOf);
        }
        if (path != null) {
            body.put("assignmentUrl", "http://127.0.0.1:" + receiver.getAddress().getPort() + path);
            body.put("calloutAuth", Map.of("username", "sco-" + name, "passwordEnv", PASSWORD_ENV));
        }
        Api.Response put = api.put("/api/servers/" + name, json(body));
        assertThat(put.status()).as(put.toString()).isIn(200, 201);
        assertThat(put.toString()).doesNotContain(PASSWORD);
    }

    private void ping(String server, Instant at) {
        jdbc.sql("update server set last_ping_at = ? where name = ?").params(Estate.at(at), server).update();
    }

    @Test
    void registeredWorkMovesTheStandbyIsToldAndFailbackTellsTheServerExactlyWhatCameBack() throws Exception {
        String site = unique("site");
        String otherSite = unique("site");
        String report = unique("report");
        String purge = unique("purge");
        String gathering = unique("gathering");
        assertThat(api.put("/api/servers/" + failed + "/sites", json(Map.of("sites", List.of(site, otherSite))))
                .status()).isEqualTo(200);
        assertThat(api.put("/api/servers/" + failed + "/jobs", json(Map.of("jobs", List.of(
                Map.of("name", report, "kind", "report", "site", site),
                Map.of("name", purge, "kind", "purge"),
                Map.of("name", gathering, "kind", "gathering", "site", site))))).status()).isEqualTo(200);
        String standbysOwn = unique("own-job");
        api.put("/api/servers/" + standby + "/jobs", json(Map.of("jobs", List.of(Map.of("name", standbysOwn,
                "kind", "report")))));

        ProcessInstance failover = detect();
        runJobs(failover);

        assertThat(failover).hasPassed(ServerFailoverProcess.TELL_STANDBY)
                .isWaitingAt(ServerFailoverProcess.SERVER_BACK_ONLINE);
        assertThat(jobNames(standby)).containsExactlyInAnyOrder(report, purge, standbysOwn);
        assertThat(jobNames(failed)).as("gathering jobs stay").containsExactly(gathering);
        assertThat(siteManager(site)).isEqualTo(standby);

        assertThat(calls).hasSize(1);
        Map<String, String> told = calls.get(0);
        long outageId = outage().id();
        assertThat(told.get("path")).isEqualTo("/standby/assignments");
        assertThat(told.get("authorization")).isEqualTo(basic("sco-" + standby));
        assertThat(told.get("key")).isEqualTo("server-outage-" + outageId + "-failover-" + standby);
        JsonNode body = mapper.readTree(told.get("body"));
        assertThat(body.get("operation").asText()).isEqualTo("failover");
        assertThat(body.get("server").asText()).isEqualTo(standby);
        assertThat(body.get("from").asText()).isEqualTo(failed);
        assertThat(texts(body.get("sites"))).containsExactlyInAnyOrder(site, otherSite);
        assertThat(body.get("jobs").findValuesAsText("name")).containsExactlyInAnyOrder(report, purge);
        assertThat(told.get("body")).doesNotContain(PASSWORD, standbysOwn, gathering);

        JsonNode record = api.get("/api/servers/" + failed + "/failovers/" + outageId + "/callouts").body();
        assertThat(record).hasSize(1);
        assertThat(record.get(0).get("direction").asText()).isEqualTo("failover");
        assertThat(record.get(0).get("outcome").asText()).isEqualTo("told");
        assertThat(record.get(0).get("sites").asInt()).isEqualTo(2);
        assertThat(record.get(0).get("jobs").asInt()).isEqualTo(2);
        assertThat(record.get(0).get("attempts").asInt()).isEqualTo(1);

        // The server reports again; operators fail back.
        ping(failed, now);
        detector.pass(now.plusSeconds(1));
        assertThat(failover).isWaitingAt(ServerFailoverProcess.DECIDE_FAILBACK);
        complete(task(failover), withVariables(ServerFailoverProcess.VAR_FAILBACK_DECISION, ServerFailoverProcess.FAILBACK));
        runJobs(failover);

        assertThat(failover).hasPassed(ServerFailoverProcess.TELL_SERVER_BACK).isEnded();
        assertThat(jobNames(failed)).containsExactlyInAnyOrder(report, purge, gathering);
        assertThat(jobNames(standby)).containsExactly(standbysOwn);
        assertThat(calls).hasSize(2);
        Map<String, String> back = calls.get(1);
        assertThat(back.get("path")).isEqualTo("/failed/assignments");
        assertThat(back.get("authorization")).isEqualTo(basic("sco-" + failed));
        JsonNode backBody = mapper.readTree(back.get("body"));
        assertThat(backBody.get("operation").asText()).isEqualTo("failback");
        assertThat(backBody.get("from").asText()).isEqualTo(standby);
        assertThat(texts(backBody.get("sites"))).containsExactlyInAnyOrder(site, otherSite);
        assertThat(backBody.get("jobs").findValuesAsText("name")).containsExactlyInAnyOrder(report, purge);
        assertThat(api.get("/api/servers/" + failed + "/failovers/" + outageId + "/callouts").body()
                .findValuesAsText("direction")).containsExactly("failover", "failback");
    }

    @Test
    void aStandbyThatCannotBeToldIsRecordedAtEachTryAndTheLastTryGoesOn() {
        answer = 503;
        api.put("/api/servers/" + failed + "/sites", json(Map.of("sites", List.of(unique("site")))));
        ProcessInstance failover = detect();
        execute(engine.getManagementService().createJobQuery().processInstanceId(failover.getId()).singleResult());
        ManagementService management = engine.getManagementService();
        Job tell = management.createJobQuery().processInstanceId(failover.getId()).singleResult();
        long outageId = outage().id();

        assertThatThrownBy(() -> management.executeJob(tell.getId())).hasMessageContaining(standby);
        JsonNode record = api.get("/api/servers/" + failed + "/failovers/" + outageId + "/callouts").body();
        assertThat(record.get(0).get("outcome").asText()).isEqualTo("not-told");
        assertThat(record.get(0).get("detail").asText()).contains("HTTP 503");
        assertThat(failover).isWaitingAt(ServerFailoverProcess.TELL_STANDBY);

        assertThatThrownBy(() -> management.executeJob(tell.getId())).hasMessageContaining(standby);
        management.executeJob(tell.getId());

        assertThat(calls).hasSize(3);
        assertThat(calls).extracting(c -> c.get("key")).containsOnly(calls.get(0).get("key"));
        assertThat(api.get("/api/servers/" + failed + "/failovers/" + outageId + "/callouts").body().get(0)
                .get("attempts").asInt()).isEqualTo(3);
        assertThat(failover).hasPassed(ServerFailoverProcess.TELL_STANDBY)
                .variables().extractingByKey(ServerFailoverProcess.VAR_STANDBY_TOLD).asString().startsWith("not-told");
        assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(failover.getId()).count()).isZero();
    }

    @Test
    void aStandbyWithoutAnAddressIsRecordedAndNobodyIsCalled() {
        putServer(standby, null, null);
        ProcessInstance failover = detect();
        runJobs(failover);

        assertThat(calls).isEmpty();
        assertThat(failover).hasPassed(ServerFailoverProcess.TELL_STANDBY)
                .isWaitingAt(ServerFailoverProcess.SERVER_BACK_ONLINE);
        assertThat(api.get("/api/servers/" + failed + "/failovers/" + outage().id() + "/callouts").body().get(0)
                .get("outcome").asText()).isEqualTo("no-address");
    }

    private String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private List<String> jobNames(String server) {
        return jdbc.sql("select name from server_job where managed_by = ?").param(server).query(String.class).list();
    }

    private String siteManager(String site) {
        return jdbc.sql("select managed_by from site where name = ?").param(site).query(String.class).single();
    }

    private void runJobs(ProcessInstance instance) {
        for (int i = 0; i < 20; i++) {
            var next = engine.getManagementService().createJobQuery().processInstanceId(instance.getId()).executable()
                    .list();
            if (next.isEmpty()) {
                return;
            }
            execute(next.get(0));
        }
        throw new AssertionError("the process does not stop running jobs");
    }

    private ProcessInstance detect() {
        detector.pass(now);
        return engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(outage().processInstanceId()).singleResult();
    }

    private Outage outage() {
        List<Outage> of = outages.ofServer(failed, 10);
        assertThat(of).hasSize(1);
        return of.get(0);
    }
}
