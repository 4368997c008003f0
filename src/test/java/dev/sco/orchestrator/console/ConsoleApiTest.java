package dev.sco.orchestrator.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.RawHttp;
import dev.sco.orchestrator.platform.EmbeddedPostgresServers;
import dev.sco.orchestrator.platform.Groups;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The continuity console's API: every section, who may read it, and bounded answers on a large estate. */
@OrchestratorTest
class ConsoleApiTest {

    private static final String DEMO_PAIR = EmbeddedPostgresServers.DEMO_PRIMARY;

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    IdentityService identity;
    @Autowired
    MutableClock clock;

    private String prefix;
    private String sender;

    @AfterEach
    void cleanUp() {
        if (prefix != null) {
            jdbc.sql("delete from server where name like ?").param(prefix + "%").update();
        }
        if (sender != null) {
            identity.deleteUser(sender);
        }
        clock.reset();
    }

    private Api api() {
        return new Api(port);
    }

    @Test
    void everySectionAnswersForAReaderWithTheDemoEstate() {
        Api reader = api().as(Api.MID_ADMIN);
        JsonNode summary = ok(reader.get("/api/console/summary"));
        assertThat(summary.get("user").asText()).isEqualTo("midadmin");
        assertThat(summary.at("/servers/total").asLong()).isGreaterThanOrEqualTo(6);
        assertThat(summary.at("/servers/up").asLong() + summary.at("/servers/down").asLong())
                .isEqualTo(summary.at("/servers/total").asLong());
        assertThat(summary.get("hubPairs").asLong()).isPositive();
        assertThat(summary.get("databasePairs").asLong()).isPositive();

        JsonNode servers = ok(reader.get("/api/console/servers?prefix=ms-east"));
        assertThat(servers.get("total").asLong()).isEqualTo(2);
        assertThat(names(servers.get("items"))).containsExactly("ms-east-1", "ms-east-2");

        JsonNode hubs = ok(reader.get("/api/console/hubs"));
        assertThat(names(hubs.get("items"))).contains("hubs-demo");

        JsonNode databases = ok(reader.get("/api/console/databases?size=200"));
        JsonNode demo = item(databases, "primary", DEMO_PAIR);
        assertThat(demo.get("failover").asText()).isEqualTo(EmbeddedPostgresServers.DEMO_FAILOVER);
        assertThat(demo.get("primaryRole").asText()).isNotBlank();
        assertThat(demo.toString()).doesNotContain("jdbc:", "passwordEnv", "password");

        assertThat(ok(reader.get("/api/console/operations")).isArray()).isTrue();
        assertThat(ok(reader.get("/api/console/decisions")).isArray()).isTrue();
        assertThat(ok(reader.get("/api/console/pauses")).isArray()).isTrue();
        for (String chart : new String[] {"data-loss?range=7d", "sync-runs", "operations", "mttr", "drills",
                "heartbeats"}) {
            assertThat(ok(reader.get("/api/console/charts/" + chart)).get("data").isArray()).as(chart).isTrue();
        }
    }

    @Test
    void aRealSyncRunShowsInTheSyncChartTheDataLossPlotAndThePairsWindowNow() {
        if (clock.instant().atOffset(ZoneOffset.UTC).getHour() == 0) {
            clock.advance(Duration.ofMinutes(61)); // the default maintenance window is 00:00-01:00 UTC
        }
        long runId = ok(api().as(Api.DBA).post("/api/sync/" + DEMO_PAIR + "/runs")).get("runId").asLong();
        await().atMost(Duration.ofSeconds(90)).until(() -> !"running".equals(jdbc
                .sql("select result from sync_run where id = ?").param(runId).query(String.class).single()));
        assertThat(jdbc.sql("select result from sync_run where id = ?").param(runId).query(String.class).single())
                .isEqualTo("succeeded");
        clock.advance(Duration.ofMinutes(20));

        JsonNode runs = ok(api().get("/api/console/charts/sync-runs?range=24h")).get("data");
        JsonNode run = StreamSupport.stream(runs.spliterator(), false)
                .filter(r -> r.get("id").asLong() == runId).findFirst().orElseThrow();
        assertThat(run.get("database").asText()).isEqualTo(DEMO_PAIR);
        assertThat(run.get("rows").asLong()).isPositive();
        assertThat(run.get("result").asText()).isEqualTo("succeeded");

        JsonNode demo = item(ok(api().get("/api/console/databases?size=200")), "primary", DEMO_PAIR);
        assertThat(demo.get("dataLossWindowSeconds").asLong()).isGreaterThanOrEqualTo(20 * 60);

        JsonNode series = StreamSupport.stream(ok(api().get("/api/console/charts/data-loss?range=24h")).get("data")
                .spliterator(), false).filter(s -> s.get("name").asText().equals(DEMO_PAIR)).findFirst().orElseThrow();
        assertThat(series.get("points")).hasSize(97);
        JsonNode last = series.get("points").get(96);
        assertThat(last.get("value").asLong()).isBetween(20L * 60 - 30, 20L * 60 + 15 * 60 + 30);
    }

    @Test
    void tenThousandServersAreCountedAndPagedNeverListedWhole() {
        prefix = Api.unique("bulk") + "-";
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        // 9,000 that beat just now (Up) and 1,000 never heard of (Down).
        jdbc.sql("""
                insert into server (name, kind, site, unresponsive_period_seconds, last_ping_at)
                select ? || lpad(i::text, 5, '0'), 'collector', 'bulk', 86400, case when i <= 9000 then ? end
                  from generate_series(1, 10000) i""").params(prefix, now).update();

        JsonNode summary = ok(api().get("/api/console/summary"));
        assertThat(summary.at("/servers/total").asLong()).isGreaterThanOrEqualTo(10_000);
        assertThat(summary.at("/servers/down").asLong()).isGreaterThanOrEqualTo(1_000);
        JsonNode collectors = StreamSupport.stream(summary.at("/servers/byKind").spliterator(), false)
                .filter(k -> k.get("key").asText().equals("collector")).findFirst().orElseThrow();
        assertThat(collectors.get("total").asLong()).isGreaterThanOrEqualTo(10_000);

        Api.Response firstPage = api().get("/api/console/servers?prefix=" + prefix);
        JsonNode page = ok(firstPage);
        assertThat(page.get("total").asLong()).isEqualTo(10_000);
        assertThat(page.get("size").asInt()).isEqualTo(50);
        assertThat(page.get("items")).hasSize(50);
        assertThat(page.toString().length()).isLessThan(20_000);
        // Down first: the servers never heard of lead the list.
        assertThat(page.get("items").get(0).get("name").asText()).isEqualTo(prefix + "09001");
        assertThat(page.get("items").get(0).get("status").asText()).isEqualTo("Down");

        JsonNode up = ok(api().get("/api/console/servers?status=Up&size=200&page=44&prefix=" + prefix));
        assertThat(up.get("total").asLong()).isEqualTo(9_000);
        assertThat(up.get("items")).hasSize(200);
        assertThat(up.get("items").findValuesAsText("status")).containsOnly("Up");
        JsonNode last = ok(api().get("/api/console/servers?status=Up&size=200&page=45&prefix=" + prefix));
        assertThat(last.get("items")).isEmpty();

        Api.assertProblem(api().get("/api/console/servers?size=201"), 400, "size");
        Api.assertProblem(api().get("/api/console/servers?page=-1"), 400, "page");
        Api.assertProblem(api().get("/api/console/servers?status=Sideways"), 400, "status");
        Api.assertProblem(api().get("/api/console/servers?prefix=a%25b"), 400, "prefix");
        Api.assertProblem(api().get("/api/console/charts/data-loss?range=1y"), 400, "range");
        Api.assertProblem(api().get("/api/console/decisions?limit=5000"), 400, "limit");

        JsonNode heartbeats = ok(api().get("/api/console/charts/heartbeats?minutes=60")).get("data");
        assertThat(heartbeats).hasSize(60);
        assertThat(heartbeats.get(59).get("heartbeats").asLong()).isGreaterThanOrEqualTo(9_000);
    }

    @Test
    void theWebappLoginSessionReadsTheConsoleButNothingElse() {
        assertThat(api().as(null).get("/api/console/summary").status()).isEqualTo(401);

        Map<String, String> session = webappLogin("demo", "demo");
        RawHttp.Response summary = RawHttp.send("127.0.0.1", port, "GET", "/api/console/summary",
                Map.of("Cookie", session.get("Cookie")), null);
        assertThat(summary.status()).as(summary.body()).isEqualTo(200);
        assertThat(summary.body()).contains("\"user\":\"demo\"");

        // The session is no credential for writes, nor for the rest of the API.
        assertThat(RawHttp.send("127.0.0.1", port, "POST", "/api/pauses",
                Map.of("Cookie", session.get("Cookie"), "Content-Type", "application/json"),
                "{\"target\":\"server:ms-east-1\",\"reason\":\"x\",\"until\":\"" + Instant.now().plusSeconds(600) + "\"}")
                .status()).isEqualTo(401);
        assertThat(RawHttp.send("127.0.0.1", port, "GET", "/api/servers", Map.of("Cookie", session.get("Cookie")), null)
                .status()).isEqualTo(401);
        assertThat(RawHttp.send("127.0.0.1", port, "GET", "/api/console/summary",
                Map.of("Cookie", "JSESSIONID=forged"), null).status()).isEqualTo(401);
        // Nor for a path that only starts like the console's and leads elsewhere once normalised.
        for (String sideways : new String[] {"/api/console/../servers", "/api/console/%2e%2e/servers",
                "/api/console;x=y/../servers", "/api/console/..;/servers"}) {
            assertThat(RawHttp.send("127.0.0.1", port, "GET", sideways, Map.of("Cookie", session.get("Cookie")), null)
                    .status()).as(sideways).isIn(400, 401, 404);
        }
    }

    @Test
    void aHeartbeatSenderSeesNoConsole() {
        sender = Api.unique("hb");
        User user = identity.newUser(sender);
        user.setPassword("heartbeat-secret-1");
        identity.saveUser(user);
        identity.createMembership(sender, Groups.HEARTBEAT_SENDERS);
        assertThat(api().as(sender + ":heartbeat-secret-1").get("/api/console/summary").status()).isEqualTo(403);
    }

    /** Logs in through the web apps' login form, as a browser does; returns the session's Cookie header. */
    private Map<String, String> webappLogin(String user, String password) {
        RawHttp.Response page = RawHttp.send("127.0.0.1", port, "GET", "/camunda/app/cockpit/default/", Map.of(), null);
        Map<String, String> cookies = cookies(page, new LinkedHashMap<>());
        RawHttp.Response login = RawHttp.send("127.0.0.1", port, "POST",
                "/camunda/api/admin/auth/user/default/login/cockpit",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", header(cookies),
                        "X-XSRF-TOKEN", cookies.get("XSRF-TOKEN")),
                "username=" + user + "&password=" + password);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        cookies(login, cookies);
        return Map.of("Cookie", header(cookies));
    }

    private static Map<String, String> cookies(RawHttp.Response response, Map<String, String> into) {
        for (String cookie : response.headers().getOrDefault("set-cookie", "").split("\n")) {
            String pair = cookie.split(";")[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                into.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return into;
    }

    private static String header(Map<String, String> cookies) {
        return String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static JsonNode ok(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(200, 202);
        return response.body();
    }

    private static java.util.List<String> names(JsonNode items) {
        return items.findValuesAsText("name");
    }

    private static JsonNode item(JsonNode page, String field, String value) {
        return StreamSupport.stream(page.get("items").spliterator(), false)
                .filter(i -> i.get(field).asText().equals(value)).findFirst()
                .orElseThrow(() -> new AssertionError(value + " not in " + page));
    }
}
