package dev.sco.orchestrator.estate;

import static dev.sco.orchestrator.Api.assertProblem;
import static dev.sco.orchestrator.Api.json;
import static dev.sco.orchestrator.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Where and how the orchestrator calls a server (reconnect and assignment addresses, credentials), set through the API. */
@OrchestratorTest
class ServerCalloutApiTest {

    static final String ENV = "ORCHESTRATOR_TARGET_CALLOUT_TEST_API";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private Map<String, Object> server(String kind, Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    @Test
    void addressesAndCredentialsAreStoredAndShownByTheNameOfTheirVariable() {
        Api api = new Api(port).as(Api.OPERATOR);
        String name = unique("consumer");
        System.setProperty(ENV, "never-shown");
        try {
            Api.Response put = api.put("/api/servers/" + name, json(server("management",
                    "reconnectUrl", "https://app.example.com/reconnect?tenant=7",
                    "assignmentUrl", "http://ms.example.com:8080/assignments",
                    "calloutAuth", Map.of("username", "sco", "passwordEnv", ENV))));
            assertThat(put.status()).as(put.toString()).isEqualTo(201);
            Api.Response read = new Api(port).as(Api.MID_ADMIN).get("/api/servers/" + name);
            assertThat(read.text("reconnectUrl")).isEqualTo("https://app.example.com/reconnect?tenant=7");
            assertThat(read.text("assignmentUrl")).isEqualTo("http://ms.example.com:8080/assignments");
            assertThat(read.body().get("calloutAuth").get("username").asText()).isEqualTo("sco");
            assertThat(read.body().get("calloutAuth").get("passwordEnv").asText()).isEqualTo(ENV);
            assertThat(read.toString()).doesNotContain("never-shown");
            assertThat(api.get("/api/servers").toString()).doesNotContain("never-shown");
        } finally {
            System.clearProperty(ENV);
        }
        assertThat(jdbc.sql("select reconnect_url || ' ' || callout_password_env from server where name = ?").param(name)
                .query(String.class).single()).isEqualTo("https://app.example.com/reconnect?tenant=7 " + ENV);

        Api.Response cleared = api.put("/api/servers/" + name, json(server("management")));
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.body().has("reconnectUrl")).isFalse();
        assertThat(cleared.body().has("calloutAuth")).isFalse();
    }

    @Test
    void badAddressesAndSecretsAreRefusedNamingTheField() {
        Api api = new Api(port).as(Api.OPERATOR);
        String name = unique("consumer");
        Map<String, String> auth = Map.of("username", "sco", "passwordEnv", ENV);
        assertProblem(api.put("/api/servers/" + name, json(server("management", "reconnectUrl", "ftp://x/y"))), 400,
                "reconnectUrl");
        assertProblem(api.put("/api/servers/" + name, json(server("management", "reconnectUrl", "not an url"))), 400,
                "reconnectUrl");
        assertProblem(api.put("/api/servers/" + name, json(server("management",
                "reconnectUrl", "https://sco:pw@app.example.com/r"))), 400, "reconnectUrl");
        assertProblem(api.put("/api/servers/" + name, json(server("management", "assignmentUrl", "/relative"))), 400,
                "assignmentUrl");
        assertProblem(api.put("/api/servers/" + name, json(server("collector",
                "assignmentUrl", "https://c.example.com/a"))), 400, "assignmentUrl");
        assertProblem(api.put("/api/servers/" + name, json(server("management", "calloutAuth", auth))), 400,
                "calloutAuth");
        assertProblem(api.put("/api/servers/" + name, json(server("management", "reconnectUrl", "https://a.example.com/r",
                "calloutAuth", Map.of("passwordEnv", ENV)))), 400, "calloutAuth.username");
        assertProblem(api.put("/api/servers/" + name, json(server("management", "reconnectUrl", "https://a.example.com/r",
                "calloutAuth", Map.of("username", "sco")))), 400, "calloutAuth.passwordEnv");
        for (String secretInsteadOfName : new String[] {"hunter2!", "ORCHESTRATOR_DB_PASSWORD",
                "ORCHESTRATOR_TARGET_SOME_DATABASE", "PATH"}) {
            assertProblem(api.put("/api/servers/" + name, json(server("management", "reconnectUrl",
                    "https://a.example.com/r", "calloutAuth", Map.of("username", "sco", "passwordEnv",
                            secretInsteadOfName)))), 400, "calloutAuth.passwordEnv");
        }
        String database = unique("db");
        jdbc.sql("""
                        insert into database_endpoint (name, jdbc_url, username, password_env, role)
                        values (?, 'jdbc:postgresql://db.example.com:5432/app', 'app', ?, 'primary')""")
                .params(database, ENV + "_DB").update();
        try {
            assertProblem(api.put("/api/servers/" + name, json(server("management", "reconnectUrl",
                    "https://a.example.com/r", "calloutAuth", Map.of("username", "sco", "passwordEnv", ENV + "_DB")))),
                    400, "calloutAuth.passwordEnv");
        } finally {
            jdbc.sql("delete from database_endpoint where name = ?").param(database).update();
        }
        assertProblem(new Api(port).as(Api.MID_ADMIN).put("/api/servers/" + name, json(server("management",
                "reconnectUrl", "https://a.example.com/r", "calloutAuth", auth))), 403, null);

        assertProblem(api.get("/api/servers/" + name), 404, "name");
    }
}
