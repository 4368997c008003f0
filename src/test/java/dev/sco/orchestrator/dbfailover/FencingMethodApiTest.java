package dev.sco.orchestrator.dbfailover;

import static dev.sco.orchestrator.Api.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code PUT/GET /api/databases/{name}/fencing}: who may change it, what is refused, nothing half-written. */
@OrchestratorTest
class FencingMethodApiTest {

    private static final String AGENT = "{\"kind\": \"agent\", \"url\": \"https://stonith.example:8443/fence\", "
            + "\"username\": \"orchestrator\", \"passwordEnv\": \"" + FencingAgentStub.PASSWORD_ENV + "\", "
            + "\"timeout\": \"3s\"}";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private String database;

    @BeforeEach
    void database() {
        database = Api.unique("fence-api");
        jdbc.sql("insert into database_endpoint (name, jdbc_url, username, role) values (?, 'jdbc:postgresql://db1/app', "
                + "'orchestrator', 'primary')").param(database).update();
        System.setProperty(FencingAgentStub.PASSWORD_ENV, "never-shown");
    }

    @AfterEach
    void clear() {
        System.clearProperty(FencingAgentStub.PASSWORD_ENV);
    }

    @Test
    void aDbaRegistersMethodsInOrderAndEveryoneReadsThemWithoutTheCredential() {
        Api.Response none = dba().get(path());
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.body().get("defaulted").asBoolean()).isTrue();
        assertThat(none.body().get("methods").get(0).get("kind").asText()).isEqualTo("sql");

        Api.Response put = dba().put(path(), "{\"methods\": [{\"kind\": \"sql\"}, " + AGENT
                + ", {\"kind\": \"writers\", \"onlyWriters\": true}]}");
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        Api.Response read = new Api(port).as(Api.OPERATOR).get(path());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("defaulted").asBoolean()).isFalse();
        assertThat(read.body().get("methods").findValuesAsText("kind")).containsExactly("sql", "agent", "writers");
        assertThat(read.body().get("methods").get(1).get("passwordEnv").asText()).isEqualTo(FencingAgentStub.PASSWORD_ENV);
        assertThat(read.body().get("methods").get(1).get("timeout").asText()).isEqualTo("PT3S");
        assertThat(read.body().get("methods").get(1).get("updatedBy").asText()).isEqualTo("dba");
        assertThat(read.body().toString()).doesNotContain("never-shown");

        assertThat(dba().put(path(), "{\"methods\": []}").status()).isEqualTo(200);
        assertThat(dba().get(path()).body().get("defaulted").asBoolean()).as("back to the SQL fence alone").isTrue();
    }

    @Test
    void onlyDbasAndAdministratorsChangeMethods() {
        String body = "{\"methods\": [{\"kind\": \"sql\"}]}";
        assertThat(new Api(port).as(Api.OPERATOR).put(path(), body).status()).isEqualTo(403);
        assertThat(new Api(port).as(Api.MID_ADMIN).put(path(), body).status()).isEqualTo(403);
        assertThat(new Api(port).as(null).put(path(), body).status()).isEqualTo(401);
        assertThat(new Api(port).as(null).get(path()).status()).isEqualTo(401);
        assertThat(new Api(port).as(Api.DEMO).put(path(), body).status()).isEqualTo(200);
        assertThat(dba().put(path(), body).status()).isEqualTo(200);
    }

    @Test
    void everyInvalidInputIsRefusedNamingItsFieldAndNothingIsHalfWritten() {
        assertThat(dba().put(path(), "{\"methods\": [" + AGENT + ", {\"kind\": \"sql\"}]}").status()).isEqualTo(200);

        assertProblem(dba().put("/api/databases/nowhere-" + database + "/fencing", "{\"methods\": []}"), 404, "name");
        assertProblem(dba().put(path(), "{}"), 400, "methods");
        assertProblem(dba().put(path(), "{\"methods\": [{\"kind\": \"ipmi\"}]}"), 400, "methods[0].kind");
        assertProblem(dba().put(path(), "{\"methods\": [{}]}"), 400, "methods[0].kind");
        assertProblem(dba().put(path(), "{\"methods\": [{\"kind\": \"sql\"}, {\"kind\": \"sql\"}]}"), 400,
                "methods[1].kind");
        assertProblem(dba().put(path(), "{\"methods\": [{\"kind\": \"sql\", \"url\": \"http://h/x\"}]}"), 400,
                "methods[0].url");
        assertProblem(dba().put(path(), "{\"methods\": [{\"kind\": \"writers\"}]}"), 400, "methods[0].onlyWriters");
        assertProblem(dba().put(path(), "{\"methods\": [{\"kind\": \"writers\", \"onlyWriters\": false}]}"), 400,
                "methods[0].onlyWriters");
        assertProblem(dba().put(path(), "{\"methods\": [{\"kind\": \"sql\"}, " + AGENT.replace(
                "\"url\": \"https://stonith.example:8443/fence\", ", "") + "]}"), 400, "methods[1].url");
        assertProblem(dba().put(path(), "{\"methods\": [" + AGENT.replace("https://stonith.example",
                "https://root:pw@stonith.example") + "]}"), 400, "methods[0].url");
        assertProblem(dba().put(path(), "{\"methods\": [" + AGENT.replace("https://", "ftp://") + "]}"), 400,
                "methods[0].url");
        assertProblem(dba().put(path(), "{\"methods\": [" + AGENT.replace("\"username\": \"orchestrator\", ", "")
                + "]}"), 400, "methods[0].username");
        for (String env : new String[] {"HOME", "ORCHESTRATOR_DB_PASSWORD", "ORCHESTRATOR_TARGET_", "the password"}) {
            Api.Response refused = dba().put(path(), "{\"methods\": [{\"kind\": \"sql\"}, " + AGENT.replace(
                    FencingAgentStub.PASSWORD_ENV, env) + "]}");
            assertProblem(refused, 400, "methods[1].passwordEnv");
            assertThat(refused.text("detail")).contains("passwordEnv");
        }
        assertProblem(dba().put(path(), "{\"methods\": [" + AGENT.replace(
                "\"passwordEnv\": \"" + FencingAgentStub.PASSWORD_ENV + "\", ", "") + "]}"), 400, "methods[0].passwordEnv");
        for (String timeout : new String[] {"10ms", "2m", "soon"}) {
            assertProblem(dba().put(path(), "{\"methods\": [" + AGENT.replace("3s", timeout) + "]}"), 400,
                    "methods[0].timeout");
        }
        assertProblem(dba().put(path(), "{\"methods\": [" + "{\"kind\": \"agent\", \"url\": \"http://h/%d\", \"username\": \"u\", \"passwordEnv\": \"ORCHESTRATOR_TARGET_A\"},".repeat(11)
                .replaceAll(",$", "") + "]}"), 400, "methods");

        Api.Response kept = dba().get(path());
        assertThat(kept.body().get("methods").findValuesAsText("kind")).as("the earlier list, untouched")
                .containsExactly("agent", "sql");
        assertThat(kept.body().get("methods").get(0).get("url").asText()).isEqualTo("https://stonith.example:8443/fence");
    }

    private String path() {
        return "/api/databases/" + database + "/fencing";
    }

    private Api dba() {
        return new Api(port).as(Api.DBA);
    }
}
