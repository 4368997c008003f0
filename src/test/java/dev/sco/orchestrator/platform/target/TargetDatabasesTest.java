package dev.sco.orchestrator.platform.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.sco.orchestrator.OrchestratorTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@OrchestratorTest
class TargetDatabasesTest {

    private static final String SECURED = "test-secured";
    private static final String CLOSED = "test-closed-port";
    private static final String PASSWORD = "correct-horse-battery-1";

    @Autowired
    TargetDatabases targets;
    @Autowired
    JdbcClient orchestrator;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void removeTestEndpoints() {
        orchestrator.sql("delete from database_endpoint where name in (:a, :b)").param("a", SECURED).param("b", CLOSED)
                .update();
        for (String variable : new String[] {"ORCHESTRATOR_TARGET_SCO_TEST_PW_RIGHT", "ORCHESTRATOR_TARGET_SCO_TEST_PW_WRONG", "ORCHESTRATOR_TARGET_SCO_TEST_PW_OTHER"}) {
            System.clearProperty(variable);
        }
    }

    @Test
    void poolsSpeakAsTheOrchestratorWithTheConfiguredStatementTimeout() {
        JdbcClient primary = targets.jdbc("demo-primary");
        assertThat(primary.sql("select current_setting('application_name')").query(String.class).single())
                .isEqualTo("continuity-orchestrator");
        assertThat(primary.sql("select current_setting('statement_timeout')").query(String.class).single())
                .isEqualTo("1min");
        assertThat(targets.dataSource("demo-primary")).isSameAs(targets.dataSource("demo-primary"));
        assertThatThrownBy(() -> targets.dataSource("nowhere"))
                .isInstanceOfSatisfying(UnknownDatabaseException.class, e -> assertThat(e.database()).isEqualTo("nowhere"));
    }

    @Test
    void takesThePasswordFromTheNamedVariableAndRebuildsThePoolWhenTheEndpointChanges() throws Exception {
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
            requirePasswords(server);
            System.setProperty("ORCHESTRATOR_TARGET_SCO_TEST_PW_RIGHT", PASSWORD);
            System.setProperty("ORCHESTRATOR_TARGET_SCO_TEST_PW_WRONG", "not-the-password");
            orchestrator.sql("""
                    insert into database_endpoint (name, jdbc_url, username, password_env, role)
                    values (:name, :url, 'sco_secured', 'ORCHESTRATOR_TARGET_SCO_TEST_PW_RIGHT', 'primary')""")
                    .param("name", SECURED).param("url", "jdbc:postgresql://localhost:" + server.getPort() + "/postgres")
                    .update();

            DataSource first = targets.dataSource(SECURED);
            assertThat(targets.jdbc(SECURED).sql("select current_user").query(String.class).single())
                    .isEqualTo("sco_secured");

            usePasswordVariable("ORCHESTRATOR_TARGET_SCO_TEST_PW_WRONG");
            DataSource second = targets.dataSource(SECURED);
            assertThat(second).isNotSameAs(first);
            assertThat(((HikariDataSource) first).isClosed()).isTrue();
            assertThatThrownBy(() -> {
                try (Connection ignored = second.getConnection()) {
                    // connecting is the test
                }
            }).rootCause().hasMessageContaining("password authentication failed");

            usePasswordVariable("ORCHESTRATOR_TARGET_SCO_TEST_PW_OTHER");
            assertThatThrownBy(() -> targets.dataSource(SECURED))
                    .isInstanceOf(TargetDatabaseException.class).hasMessageContaining("ORCHESTRATOR_TARGET_SCO_TEST_PW_OTHER")
                    .hasMessageNotContaining(PASSWORD);

            usePasswordVariable("ORCHESTRATOR_TARGET_SCO_TEST_PW_RIGHT");
            assertThat(targets.jdbc(SECURED).sql("select 1").query(Integer.class).single()).isEqualTo(1);
            assertThat(((HikariDataSource) second).isClosed()).isTrue();
        }
    }

    /**
     * Health shows targets to authorized users in group {@code targets}, from the probe sensor's
     * last result (dbfailover.TargetsHealthTest covers the results); never the URL or password.
     */
    @Test
    void healthShowsEachTargetWithoutItsAddressOrPassword() throws Exception {
        orchestrator.sql("""
                insert into database_endpoint (name, jdbc_url, username, password_env, role)
                values (:name, :url, 'nobody', null, 'failover')""")
                .param("name", CLOSED).param("url", "jdbc:postgresql://localhost:1/postgres?password=secret-in-url")
                .update();

        HttpResponse<String> group = get("/actuator/health/targets", "demo:demo");
        JsonNode components = json.readTree(group.body()).path("components").path("targets").path("components");
        assertThat(components.path("demo-primary").path("details").path("role").asText()).isEqualTo("primary");
        assertThat(components.path("demo-primary").path("details").path("pairedWith").asText()).isEqualTo("demo-failover");
        // Not paired with a primary, so the sensor never probes it; health does not connect either.
        assertThat(components.path(CLOSED).path("status").asText()).isEqualTo("UNKNOWN");
        assertThat(components.path(CLOSED).path("details").path("role").asText()).isEqualTo("failover");
        assertThat(group.body()).doesNotContain("jdbc:").doesNotContain("secret-in-url");

        HttpResponse<String> anonymous = get("/actuator/health/targets", null);
        assertThat(anonymous.body()).doesNotContain("demo-primary").doesNotContain(CLOSED);
    }

    @Test
    void aRowThatBreaksTheTargetRulesIsNeverConnected() {
        // Written past the API (by hand, or before the rules existed): the pool and the probe refuse it too.
        orchestrator.sql("""
                insert into database_endpoint (name, jdbc_url, username, password_env, role)
                values (:name, :url, 'postgres', null, 'failover')""")
                .param("name", CLOSED).param("url", targets.endpoint("demo-primary").jdbcUrl()
                        + "?options=-c%20statement_timeout%3D0")
                .update();
        assertThatThrownBy(() -> targets.jdbc(CLOSED)).isInstanceOf(TargetDatabaseException.class)
                .hasMessageContaining("options");
        assertThat(targets.probe(CLOSED, Duration.ofSeconds(1)).reachable()).isFalse();

        orchestrator.sql("update database_endpoint set jdbc_url = :url, password_env = 'ORCHESTRATOR_DB_PASSWORD' "
                        + "where name = :name")
                .param("url", targets.endpoint("demo-primary").jdbcUrl()).param("name", CLOSED).update();
        assertThatThrownBy(() -> targets.jdbc(CLOSED)).isInstanceOf(TargetDatabaseException.class)
                .hasMessageContaining("passwordEnv");
    }

    @Test
    void probeReportsAnUnreachableServerQuickly() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        orchestrator.sql("""
                insert into database_endpoint (name, jdbc_url, username, role)
                values (:name, :url, 'nobody', 'failover')""")
                .param("name", CLOSED).param("url", "jdbc:postgresql://localhost:" + closedPort + "/postgres")
                .update();

        ProbeResult probe = targets.probe(CLOSED, Duration.ofSeconds(1));

        assertThat(probe.reachable()).isFalse();
        assertThat(probe.error()).isNotBlank();
        assertThat(probe.classification()).isEqualTo(ProbeClassification.UNREACHABLE);
        assertThat(probe.latency()).isLessThan(Duration.ofSeconds(3));
        assertThat(targets.probe("demo-primary", Duration.ofSeconds(2)).reachable()).isTrue();
    }

    private void usePasswordVariable(String variable) {
        orchestrator.sql("update database_endpoint set password_env = :env, updated_at = now() where name = :name")
                .param("env", variable).param("name", SECURED).update();
    }

    /** The embedded server trusts everyone; make TCP logins other than postgres prove their password. */
    private static void requirePasswords(EmbeddedPostgres server) throws Exception {
        JdbcClient admin = JdbcClient.create(server.getPostgresDatabase());
        admin.sql("create role sco_secured login password '" + PASSWORD + "'").update();
        Path hba = Path.of(admin.sql("select current_setting('hba_file')").query(String.class).single());
        Files.writeString(hba, """
                local all all trust
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                """);
        admin.sql("select pg_reload_conf()").query().singleRow();
    }

    private HttpResponse<String> get(String path, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (credentials != null) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString(credentials.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
