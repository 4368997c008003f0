package dev.sco.orchestrator.serverfailover;

import static dev.sco.orchestrator.Api.assertProblem;
import static dev.sco.orchestrator.Api.json;
import static dev.sco.orchestrator.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code /api/servers/{name}/sites} and {@code /jobs}: registration of what a management server runs. */
@OrchestratorTest
class ServerWorkApiTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    HeartbeatDetector detector;
    @Autowired
    MutableClock clock;

    private Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port).as(Api.OPERATOR);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private String server(String kind, String standby) {
        String name = unique("ms");
        Api.Response put = api.put("/api/servers/" + name, standby == null ? json(Map.of("kind", kind))
                : json(Map.of("kind", kind, "standby", standby)));
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        return name;
    }

    private static List<String> names(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(n -> n.get("name").asText()).toList();
    }

    @Test
    void sitesAndJobsAreRegisteredReplacedAndRead() {
        String server = server("management", null);
        String siteA = unique("site");
        String siteB = unique("site");
        Api.Response sites = api.put("/api/servers/" + server + "/sites", json(Map.of("sites", List.of(siteA, siteB))));
        assertThat(sites.status()).as(sites.toString()).isEqualTo(200);
        assertThat(names(sites.body().get("sites"))).containsExactlyInAnyOrder(siteA, siteB);

        String gather = unique("gather");
        String report = unique("report");
        Api.Response jobs = api.put("/api/servers/" + server + "/jobs", json(Map.of("jobs", List.of(
                Map.of("name", gather, "kind", "gathering", "site", siteA),
                Map.of("name", report, "kind", "report")))));
        assertThat(jobs.status()).as(jobs.toString()).isEqualTo(200);
        JsonNode read = new Api(port).as(Api.MID_ADMIN).get("/api/servers/" + server + "/jobs").body().get("jobs");
        assertThat(names(read)).containsExactlyInAnyOrder(gather, report);
        assertThat(jdbc.sql("select kind from server_job where name = ?").param(gather).query(String.class).single())
                .isEqualTo("gathering");

        assertThat(api.put("/api/servers/" + server + "/sites", json(Map.of("sites", List.of(siteA)))).status())
                .isEqualTo(200);
        assertThat(names(api.get("/api/servers/" + server + "/sites").body().get("sites"))).containsExactly(siteA);
        api.put("/api/servers/" + server + "/jobs", json(Map.of("jobs", List.of(
                Map.of("name", report, "kind", "purge", "site", siteA)))));
        assertThat(jdbc.sql("select kind || '/' || site from server_job where managed_by = ?").param(server)
                .query(String.class).list()).containsExactly("purge/" + siteA);
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndChangesNothing() {
        String server = server("management", null);
        String site = unique("site");
        String path = "/api/servers/" + server;
        assertProblem(api.put(path + "/sites", "{}"), 400, "sites");
        assertProblem(api.put(path + "/sites", json(Map.of("sites", List.of(site, site)))), 400, "sites[1]");
        assertProblem(api.put(path + "/sites", json(Map.of("sites", List.of("a b")))), 400, "sites[0]");
        assertProblem(api.put(path + "/jobs", "{}"), 400, "jobs");
        assertProblem(api.put(path + "/jobs", json(Map.of("jobs", List.of(Map.of("name", "j1"))))), 400, "jobs[0].kind");
        assertProblem(api.put(path + "/jobs", json(Map.of("jobs", List.of(Map.of("name", "j1", "kind", "Gathering"))))),
                400, "jobs[0].kind");
        assertProblem(api.put(path + "/jobs", json(Map.of("jobs", List.of(Map.of("kind", "report"))))), 400,
                "jobs[0].name");
        assertProblem(api.put(path + "/jobs", json(Map.of("jobs", List.of(
                Map.of("name", unique("j"), "kind", "report"),
                Map.of("name", unique("j"), "kind", "report", "site", unique("nosite")))))), 400, "jobs[1].site");
        assertProblem(api.put("/api/servers/" + unique("nobody") + "/sites", json(Map.of("sites", List.of(site)))),
                404, "name");
        assertProblem(api.get("/api/servers/" + unique("nobody") + "/jobs"), 404, "name");
        String collector = server("collector", null);
        assertProblem(api.put("/api/servers/" + collector + "/sites", json(Map.of("sites", List.of(site)))), 400, "name");

        assertThat(jdbc.sql("select count(*) from server_job where managed_by = ?").param(server).query(Long.class)
                .single()).isZero();
        assertThat(jdbc.sql("select count(*) from site where name = ?").param(site).query(Long.class).single()).isZero();
    }

    @Test
    void onlyEstateWritersRegisterAndNothingIsTakenFromAnotherServer() {
        String server = server("management", null);
        String other = server("management", null);
        String site = unique("site");
        assertProblem(new Api(port).as(Api.MID_ADMIN).put("/api/servers/" + server + "/sites",
                json(Map.of("sites", List.of(site)))), 403, null);
        assertProblem(new Api(port).as(null).put("/api/servers/" + server + "/sites",
                json(Map.of("sites", List.of(site)))), 401, null);

        assertThat(new Api(port).as(Api.DBA).put("/api/servers/" + other + "/sites",
                json(Map.of("sites", List.of(site)))).status()).isEqualTo(200);
        assertProblem(api.put("/api/servers/" + server + "/sites", json(Map.of("sites", List.of(site)))), 409, "sites[0]");
        String job = unique("job");
        api.put("/api/servers/" + other + "/jobs", json(Map.of("jobs", List.of(Map.of("name", job, "kind", "report",
                "site", site)))));
        assertProblem(api.put("/api/servers/" + server + "/jobs", json(Map.of("jobs", List.of(Map.of("name", job,
                "kind", "purge"))))), 409, "jobs[0].name");
        assertProblem(api.put("/api/servers/" + other + "/sites", json(Map.of("sites", List.of()))), 409, "sites");
        assertThat(jdbc.sql("select managed_by from site where name = ?").param(site).query(String.class).single())
                .isEqualTo(other);
    }

    @Test
    void nothingChangesWhileAFailoverWorksOnTheServerOrItsStandby() {
        String standby = server("management", null);
        String failed = server("management", standby);
        String site = unique("site");
        api.put("/api/servers/" + failed + "/sites", json(Map.of("sites", List.of(site))));
        Instant now = clock.instant();
        jdbc.sql("update server set last_ping_at = ? where name = ?")
                .params(Estate.at(now.minus(Duration.ofMinutes(10))), failed).update();
        jdbc.sql("update server set last_ping_at = ? where name = ?").params(Estate.at(now), standby).update();

        detector.pass(now);
        long outage = jdbc.sql("select id from server_outage where server = ?").param(failed).query(Long.class).single();
        // As the move step records it (the step itself waits for the job executor, which tests drive).
        jdbc.sql("""
                        insert into server_failover_move (outage_id, item_kind, item, from_server, to_server)
                        values (?, 'site', ?, ?, ?)""").params(outage, site, failed, standby).update();

        assertProblem(api.put("/api/servers/" + failed + "/sites", json(Map.of("sites", List.of()))), 409, "name");
        assertProblem(api.put("/api/servers/" + failed + "/jobs", json(Map.of("jobs", List.of()))), 409, "name");
        assertProblem(api.put("/api/servers/" + standby + "/sites", json(Map.of("sites", List.of()))), 409, "name");
        assertThat(jdbc.sql("select count(*) from site where name = ?").param(site).query(Long.class).single())
                .isEqualTo(1);
    }
}
