package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.Api;
import static dev.sco.orchestrator.Api.assertProblem;
import static dev.sco.orchestrator.Api.json;
import static dev.sco.orchestrator.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@OrchestratorTest
class BindingApiTest {

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void bindsAConsumerAndRepointsIt() {
        String consumer = createServer();
        String primary = createDatabase("primary");
        String failover = createDatabase("failover");

        Api.Response created = api.put("/api/bindings/" + consumer, json(Map.of("database", primary)));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("consumer")).isEqualTo(consumer);
        assertThat(created.text("database")).isEqualTo(primary);

        Api.Response repointed = api.put("/api/bindings/" + consumer, json(Map.of("database", failover)));
        assertThat(repointed.status()).isEqualTo(200);
        assertThat(api.get("/api/bindings/" + consumer).text("database")).isEqualTo(failover);
        assertThat(api.get("/api/bindings?database=" + failover).body().findValuesAsText("consumer"))
                .containsExactly(consumer);
        assertThat(api.get("/api/bindings?database=" + primary).body().size()).isZero();
        assertThat(api.get("/api/bindings").body().findValuesAsText("consumer")).contains(consumer);
    }

    @Test
    void refusesUnknownConsumerOrDatabaseWithoutWriting() {
        String database = createDatabase("primary");
        String ghost = unique("ghost");
        assertProblem(api.put("/api/bindings/" + ghost, json(Map.of("database", database))), 404, "consumer");
        assertProblem(api.get("/api/bindings/" + ghost), 404, "consumer");

        String consumer = createServer();
        assertProblem(api.put("/api/bindings/" + consumer, json(Map.of("database", unique("nodb")))), 400,
                "database");
        assertProblem(api.put("/api/bindings/" + consumer, "{}"), 400, "database");
        assertProblem(api.put("/api/bindings/" + consumer, json(Map.of("database", "a b"))), 400, "database");
        assertProblem(api.get("/api/bindings/" + consumer), 404, "consumer");
        assertProblem(api.as(Api.MID_ADMIN).put("/api/bindings/" + consumer, json(Map.of("database", database))),
                403, null);
        assertProblem(api.get("/api/bindings/" + consumer), 404, "consumer");
    }

    private String createServer() {
        String name = unique("mgmt");
        assertThat(api.put("/api/servers/" + name, json(Map.of("kind", "management"))).status()).isEqualTo(201);
        return name;
    }

    private String createDatabase(String role) {
        String name = unique("db");
        assertThat(api.put("/api/databases/" + name, json(Map.of("jdbcUrl", "jdbc:postgresql://h/app",
                "username", "app", "role", role))).status()).isEqualTo(201);
        return name;
    }
}
