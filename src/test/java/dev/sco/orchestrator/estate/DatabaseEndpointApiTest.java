package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.Api;
import static dev.sco.orchestrator.Api.assertProblem;
import static dev.sco.orchestrator.Api.json;
import static dev.sco.orchestrator.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@OrchestratorTest
class DatabaseEndpointApiTest {

    @LocalServerPort
    int port;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void createsReplacesAndReadsAnEndpoint() {
        String name = unique("db");
        Api.Response created = api.put("/api/databases/" + name, json(Map.of(
                "jdbcUrl", "jdbc:postgresql://db1:5432/app", "username", "app", "passwordEnv", "ORCHESTRATOR_TARGET_APP_DB_PASSWORD",
                "role", "primary")));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("passwordEnv")).isEqualTo("ORCHESTRATOR_TARGET_APP_DB_PASSWORD");
        assertThat(created.text("role")).isEqualTo("primary");

        Api.Response replaced = api.put("/api/databases/" + name, json(Map.of(
                "jdbcUrl", "jdbc:postgresql://db2:5432/app", "username", "app2", "role", "failover")));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.body().has("passwordEnv")).isFalse();

        Api.Response read = api.get("/api/databases/" + name);
        assertThat(read.text("jdbcUrl")).isEqualTo("jdbc:postgresql://db2:5432/app");
        assertThat(read.text("username")).isEqualTo("app2");
        assertThat(read.text("role")).isEqualTo("failover");
        assertThat(api.get("/api/databases").body().findValuesAsText("name")).contains(name);
        assertThat(api.get("/api/databases/" + unique("none")).status()).isEqualTo(404);
    }

    @Test
    void pairingIsSymmetric() {
        String primary = create(unique("prim"), "primary", null);
        String failover = create(unique("fail"), "failover", primary);

        assertThat(api.get("/api/databases/" + failover).text("pairedWith")).isEqualTo(primary);
        assertThat(api.get("/api/databases/" + primary).text("pairedWith")).isEqualTo(failover);

        api.put("/api/databases/" + primary, body("primary", null));
        assertThat(api.get("/api/databases/" + failover).body().has("pairedWith")).isFalse();
        assertThat(api.get("/api/databases/" + primary).body().has("pairedWith")).isFalse();
    }

    @Test
    void repairingReleasesThePreviousPartner() {
        String primary = create(unique("prim"), "primary", null);
        String oldFailover = create(unique("fail"), "failover", primary);
        String newFailover = create(unique("fail"), "failover", null);

        assertThat(api.put("/api/databases/" + primary, body("primary", newFailover)).status()).isEqualTo(200);

        assertThat(api.get("/api/databases/" + primary).text("pairedWith")).isEqualTo(newFailover);
        assertThat(api.get("/api/databases/" + newFailover).text("pairedWith")).isEqualTo(primary);
        assertThat(api.get("/api/databases/" + oldFailover).body().has("pairedWith")).isFalse();
    }

    @Test
    void refusesPairingWithUnknownSameRoleSelfOrAlreadyPairedDatabase() {
        String primary = create(unique("prim"), "primary", null);
        String otherPrimary = create(unique("prim"), "primary", null);
        String failover = create(unique("fail"), "failover", otherPrimary);
        String name = unique("new");

        assertProblem(api.put("/api/databases/" + name, body("failover", unique("ghost"))), 400, "pairedWith");
        assertProblem(api.put("/api/databases/" + name, body("primary", primary)), 400, "pairedWith");
        assertProblem(api.put("/api/databases/" + name, body("primary", name)), 400, "pairedWith");
        assertProblem(api.put("/api/databases/" + primary, body("primary", failover)), 400, "pairedWith");

        assertThat(api.get("/api/databases/" + name).status()).isEqualTo(404);
        assertThat(api.get("/api/databases/" + primary).body().has("pairedWith")).isFalse();
        assertThat(api.get("/api/databases/" + failover).text("pairedWith")).isEqualTo(otherPrimary);
    }

    @Test
    void refusesPasswordsAndBadUrls() {
        String name = unique("db");
        Map<String, Object> withSecretInUrl = new HashMap<>(Map.of(
                "jdbcUrl", "jdbc:postgresql://db1/app?user=x&password=hunter2", "username", "app", "role", "primary"));
        assertProblem(api.put("/api/databases/" + name, json(withSecretInUrl)), 400, "jdbcUrl");
        Map<String, Object> secretAsEnv = new HashMap<>(Map.of(
                "jdbcUrl", "jdbc:postgresql://db1/app", "username", "app", "role", "primary",
                "passwordEnv", "hunter2!"));
        assertProblem(api.put("/api/databases/" + name, json(secretAsEnv)), 400, "passwordEnv");
        Map<String, Object> mysql = new HashMap<>(Map.of(
                "jdbcUrl", "jdbc:mysql://db1/app", "username", "app", "role", "primary"));
        assertProblem(api.put("/api/databases/" + name, json(mysql)), 400, "jdbcUrl");
        assertProblem(api.put("/api/databases/" + name, json(Map.of("jdbcUrl", "jdbc:postgresql://db1/app",
                "role", "primary"))), 400, "username");
        assertProblem(api.put("/api/databases/" + name, json(Map.of("jdbcUrl", "jdbc:postgresql://db1/app",
                "username", "app"))), 400, "role");
        assertProblem(api.put("/api/databases/" + name, json(Map.of("jdbcUrl", "jdbc:postgresql://db1/app",
                "username", "app", "role", "standby"))), 400, "role");
        assertThat(api.get("/api/databases/" + name).status()).isEqualTo(404);
    }

    @Test
    void refusesPasswordVariablesOutsideThePrefixAndUrlsOutsideTheRules() {
        String name = unique("db");
        for (String passwordEnv : new String[] {"ORCHESTRATOR_DB_PASSWORD", "ORCHESTRATOR_ADMIN_PASSWORD",
                "PRIMARY_DB_PASSWORD", "ORCHESTRATOR_TARGET_POOL_SIZE"}) {
            Api.Response refused = api.put("/api/databases/" + name, json(Map.of("jdbcUrl", "jdbc:postgresql://db1/app",
                    "username", "app", "role", "primary", "passwordEnv", passwordEnv)));
            assertProblem(refused, 400, "passwordEnv");
        }
        for (String jdbcUrl : new String[] {"jdbc:postgresql://db1/app?socketTimeout=0",
                "jdbc:postgresql://db1/app?sslfactory=org.postgresql.ssl.NonValidatingFactory",
                "jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary",
                "jdbc:postgresql://evil.example.com:5432/app"}) {
            Api.Response refused = api.put("/api/databases/" + name, json(Map.of("jdbcUrl", jdbcUrl,
                    "username", "app", "role", "primary", "passwordEnv", "ORCHESTRATOR_TARGET_APP_PASSWORD")));
            assertProblem(refused, 400, "jdbcUrl");
        }
        assertThat(api.put("/api/databases/" + name, json(Map.of("jdbcUrl", "jdbc:postgresql://db1/app?socketTimeout=0",
                "username", "app", "role", "primary"))).text("detail")).contains("socketTimeout");
        assertThat(api.get("/api/databases/" + name).status()).isEqualTo(404);
        assertThat(api.put("/api/databases/" + name, json(Map.of("jdbcUrl",
                "jdbc:postgresql://db1:6432/app?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem", "username", "app",
                "role", "primary", "passwordEnv", "ORCHESTRATOR_TARGET_APP_PASSWORD"))).status()).isEqualTo(201);
    }

    @Test
    void storesAndAnswersTheConsumerRoles() {
        String name = unique("db");
        Map<String, Object> body = new HashMap<>(Map.of("jdbcUrl", "jdbc:postgresql://db1/app", "username", "app",
                "role", "primary", "consumerRoles", java.util.List.of("app_writer", "Reports_2")));
        Api.Response created = api.put("/api/databases/" + name, json(body));
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(api.get("/api/databases/" + name).body().get("consumerRoles").toString())
                .isEqualTo("[\"app_writer\",\"Reports_2\"]");

        body.put("consumerRoles", java.util.List.of("ok", "bad-role"));
        assertProblem(api.put("/api/databases/" + name, json(body)), 400, "consumerRoles[1]");
        body.put("consumerRoles", java.util.List.of("x".repeat(64)));
        assertProblem(api.put("/api/databases/" + name, json(body)), 400, "consumerRoles[0]");
        body.put("consumerRoles", java.util.List.of("dup", "dup"));
        assertProblem(api.put("/api/databases/" + name, json(body)), 400, "consumerRoles[1]");
        assertThat(api.get("/api/databases/" + name).body().get("consumerRoles")).hasSize(2);

        body.remove("consumerRoles");
        assertThat(api.put("/api/databases/" + name, json(body)).status()).isEqualTo(200);
        assertThat(api.get("/api/databases/" + name).body().get("consumerRoles")).isEmpty();
    }

    @Test
    void onlyDbasAndAdministratorsChangeDatabases() {
        String name = unique("db");
        assertProblem(api.as(Api.OPERATOR).put("/api/databases/" + name, body("primary", null)), 403, null);
        assertThat(api.get("/api/databases/" + name).status()).isEqualTo(404);
        assertThat(api.as(Api.OPERATOR).get("/api/databases").status()).isEqualTo(200);
        assertThat(api.as(Api.DBA).put("/api/databases/" + name, body("primary", null)).status()).isEqualTo(201);
    }

    private String create(String name, String role, String pairedWith) {
        Api.Response response = api.put("/api/databases/" + name, body(role, pairedWith));
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return name;
    }

    private static String body(String role, String pairedWith) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "jdbcUrl", "jdbc:postgresql://localhost:5432/app", "username", "app", "role", role));
        if (pairedWith != null) {
            body.put("pairedWith", pairedWith);
        }
        return json(body);
    }
}
