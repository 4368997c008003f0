package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.Api;
import static dev.sco.orchestrator.Api.assertProblem;
import static dev.sco.orchestrator.Api.json;
import static dev.sco.orchestrator.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@OrchestratorTest
class AgentApiTest {

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    ConfigurableApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    Api api;
    String first;
    String second;

    /** Events seen, with the status the listener read from the database inside the transaction. */
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final ApplicationListener<PayloadApplicationEvent<AgentStatusChanged>> listener = event -> seen.add(new Seen(
            event.getPayload(), TransactionSynchronizationManager.isActualTransactionActive(),
            jdbc.sql("SELECT status FROM agent WHERE name = ?").param(event.getPayload().agent())
                    .query(String.class).single()));

    record Seen(AgentStatusChanged event, boolean inTransaction, String storedStatus) {
    }

    @BeforeEach
    void setUp() {
        api = new Api(port);
        first = createServer();
        second = createServer();
        context.addApplicationListener(listener);
    }

    @AfterEach
    void tearDown() {
        context.removeApplicationListener(listener);
        clock.reset();
    }

    @Test
    void createsReplacesAndReadsAnAgentWithItsChain() {
        String name = unique("mid");
        String instance = unique("inst");
        Api.Response created = api.put("/api/agents/" + name, agent(instance, "Up", first, List.of(first, second)));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.text("user")).isEqualTo("mid.user");
        assertThat(created.body().path("chain").toString()).isEqualTo(json(List.of(first, second)));

        Api.Response replaced = api.put("/api/agents/" + name, agent(instance, "Up", second, List.of(second)));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.text("managedBy")).isEqualTo(second);

        Api.Response read = api.get("/api/agents/" + name);
        assertThat(read.body().path("chain").toString()).isEqualTo(json(List.of(second)));
        assertThat(read.text("registration")).isEqualTo("automatic");
        assertThat(api.get("/api/agents/" + unique("none")).status()).isEqualTo(404);
    }

    @Test
    void listsTheAgentsOfAnInstance() {
        String instance = unique("inst");
        String a = unique("mid");
        String b = unique("mid");
        api.put("/api/agents/" + a, agent(instance, "Up", null, List.of()));
        api.put("/api/agents/" + b, agent(instance, "Down", null, List.of(first)));
        api.put("/api/agents/" + unique("mid"), agent(unique("inst"), "Up", null, List.of()));

        Api.Response list = api.get("/api/agents?instance=" + instance);
        assertThat(list.body().findValuesAsText("name")).containsExactlyInAnyOrder(a, b);
        assertThat(api.get("/api/agents").body().findValuesAsText("name")).contains(a, b);
    }

    @Test
    void refusesUnknownOrRepeatedChainServersAndUnknownManager() {
        String name = unique("mid");
        assertProblem(api.put("/api/agents/" + name, agent("i", "Up", null, List.of(first, unique("ghost")))),
                400, "chain[1]");
        assertProblem(api.put("/api/agents/" + name, agent("i", "Up", null, List.of(first, second, first))),
                400, "chain[2]");
        assertProblem(api.put("/api/agents/" + name, agent("i", "Up", unique("ghost"), List.of())), 400, "managedBy");
        assertProblem(api.put("/api/agents/" + name, agent("i", "Sideways", null, List.of())), 400, "status");
        assertProblem(api.put("/api/agents/" + name, agent("bad instance", "Up", null, List.of())), 400, "instance");
        assertProblem(api.put("/api/agents/" + name, json(Map.of("instance", "i", "user", "u", "status", "Up"))),
                400, "registration");
        assertThat(api.get("/api/agents/" + name).status()).isEqualTo(404);
    }

    @Test
    void reportingAStatusChangeStoresItAndPublishesOneEventInTheTransaction() {
        String name = unique("mid");
        api.put("/api/agents/" + name, agent("i", "Down", null, List.of()));
        Instant createdAt = Instant.parse(api.get("/api/agents/" + name).text("statusChangedAt"));
        clock.advance(Duration.ofMinutes(5));

        Api.Response up = api.put("/api/agents/" + name + "/status", json(Map.of("status", "Up")));

        assertThat(up.status()).isEqualTo(200);
        assertThat(up.text("agent")).isEqualTo(name);
        assertThat(up.text("previous")).isEqualTo("Down");
        assertThat(up.text("status")).isEqualTo("Up");
        assertThat(up.body().path("changed").asBoolean()).isTrue();
        Instant changedAt = Instant.parse(api.get("/api/agents/" + name).text("statusChangedAt"));
        assertThat(changedAt).isAfterOrEqualTo(createdAt.plus(Duration.ofMinutes(5)));
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.event()).isEqualTo(new AgentStatusChanged(name, AgentStatus.DOWN, AgentStatus.UP, changedAt));
            assertThat(s.inTransaction()).isTrue();
            assertThat(s.storedStatus()).isEqualTo("Up");
        });
    }

    @Test
    void reportingTheSameStatusAgainChangesNothing() {
        String name = unique("mid");
        api.put("/api/agents/" + name, agent("i", "Up", null, List.of()));
        String since = api.get("/api/agents/" + name).text("statusChangedAt");
        clock.advance(Duration.ofMinutes(5));

        Api.Response again = api.put("/api/agents/" + name + "/status", json(Map.of("status", "Up")));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text("previous")).isEqualTo("Up");
        assertThat(again.body().path("changed").asBoolean()).isFalse();
        assertThat(api.get("/api/agents/" + name).text("statusChangedAt")).isEqualTo(since);
        assertThat(seen).isEmpty();
    }

    @Test
    void statusChangeThroughAFullPutIsAStatusReportToo() {
        String name = unique("mid");
        api.put("/api/agents/" + name, agent("i", "Down", null, List.of()));
        api.put("/api/agents/" + name, agent("i", "Up", null, List.of()));

        assertThat(seen).extracting(Seen::event).extracting(AgentStatusChanged::agent, AgentStatusChanged::current)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(name, AgentStatus.UP));
    }

    @Test
    void statusReportNamesWhatIsWrong() {
        String name = unique("mid");
        assertProblem(api.put("/api/agents/" + name + "/status", json(Map.of("status", "Up"))), 404, "name");
        api.put("/api/agents/" + name, agent("i", "Down", null, List.of()));
        assertProblem(api.put("/api/agents/" + name + "/status", "{}"), 400, "status");
        assertProblem(api.put("/api/agents/" + name + "/status", json(Map.of("status", "up"))), 400, "status");
        assertProblem(api.as(Api.MID_ADMIN).put("/api/agents/" + name + "/status", json(Map.of("status", "Up"))),
                403, null);
        assertThat(api.get("/api/agents/" + name).text("status")).isEqualTo("Down");
        assertThat(seen).isEmpty();
    }

    private String createServer() {
        String name = unique("mgmt");
        assertThat(api.put("/api/servers/" + name, json(Map.of("kind", "management"))).status()).isEqualTo(201);
        return name;
    }

    private static String agent(String instance, String status, String managedBy, List<String> chain) {
        Map<String, Object> body = new HashMap<>(Map.of("instance", instance, "user", "mid.user", "status", status,
                "registration", "automatic", "chain", chain));
        if (managedBy != null) {
            body.put("managedBy", managedBy);
        }
        return json(body);
    }
}
