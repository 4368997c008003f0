package dev.sco.orchestrator.dbfailover;

import static dev.sco.orchestrator.Api.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * KPIs of {@code GET /api/reports/continuity/kpis}: several failovers of one pair on chosen days,
 * time to repair averaged per day, week and month (UTC), and the rows of the pair's KPI table
 * written on the failover database per day, counted there; absent when no KPI table is marked.
 */
@OrchestratorTest
class ContinuityKpiTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TargetDatabases targets;
    @Autowired
    PairTables pairTables;
    @Autowired
    FailoverRepository repository;

    private final List<FailoverEstate> estates = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        estates.forEach(FailoverEstate::close);
    }

    @Test
    void timeToRepairIsAveragedPerDayWeekAndMonthAndAlertsAreCountedPerDayOnTheFailoverDatabase() throws Exception {
        FailoverEstate estate = estate(EstateSchema.SAMPLE);
        estate.copyPrimaryToFailover();
        // Monday 2 March 2026: two failovers (10 and 20 minutes); Wednesday: 30 minutes; the next
        // Tuesday: 60 minutes; 1 April: 5 minutes; a drill and a failover not yet verified too.
        long a = failover(estate, "unplanned", "2026-03-02T10:00:00Z", 10);
        failover(estate, "planned", "2026-03-02T20:00:00Z", 20);
        failover(estate, "unplanned", "2026-03-04T08:00:00Z", 30);
        failover(estate, "unplanned", "2026-03-10T08:00:00Z", 60);
        failover(estate, "unplanned", "2026-04-01T23:00:00Z", 5);
        failover(estate, "drill", "2026-03-02T12:00:00Z", 1);
        failover(estate, "unplanned", "2026-04-02T09:00:00Z", null);

        // Alerts written on the failover database while failover a was active (from 10:10 on
        // 2 March until its restoration was requested, 12:00 on 5 March), and two outside it.
        for (String at : List.of("2026-03-02T09:00:00Z", "2026-03-02T11:00:00Z", "2026-03-02T23:30:00Z",
                "2026-03-03T00:30:00Z", "2026-03-05T11:00:00Z", "2026-03-05T13:00:00Z")) {
            estate.onFailover("insert into monitored.alert (computer_id, rule_id, severity, state, raised_at, created_at) "
                    + "select computer_id, rule_id, 2, 'new', '" + at + "', '" + at + "' from monitored.alert limit 1");
        }
        ContinuityReport.freezeHandledPerDay(jdbc, targets, pairTables, repository.find(a).orElseThrow(),
                Instant.parse("2026-03-05T12:00:00Z"));

        Api api = new Api(port);
        String query = "/api/reports/continuity/kpis?database=" + estate.primary + "&from=2026-03-01&to=2026-04-30";
        JsonNode days = api.get(query + "&per=day").body();
        assertThat(days.get("operations")).hasSize(6);
        JsonNode first = days.get("operations").get(0);
        assertThat(first.get("id").asLong()).isEqualTo(a);
        assertThat(first.get("timeToRepairMs").asLong()).isEqualTo(Duration.ofMinutes(10).toMillis());
        assertThat(first.get("alertsOnFailoverPerDay").toString()).isEqualTo(
                "[{\"day\":\"2026-03-02\",\"rows\":2},{\"day\":\"2026-03-03\",\"rows\":1},{\"day\":\"2026-03-05\",\"rows\":1}]");
        assertThat(periods(days)).containsExactly(
                "2026-03-02 ops=2 repaired=2 avg=900000 max=1200000 alerts=2",
                "2026-03-03 ops=0 repaired=0 avg=- max=- alerts=1",
                "2026-03-04 ops=1 repaired=1 avg=1800000 max=1800000 alerts=0",
                "2026-03-05 ops=0 repaired=0 avg=- max=- alerts=1",
                "2026-03-10 ops=1 repaired=1 avg=3600000 max=3600000 alerts=0",
                "2026-04-01 ops=1 repaired=1 avg=300000 max=300000 alerts=0",
                "2026-04-02 ops=1 repaired=0 avg=- max=- alerts=0");

        assertThat(periods(api.get(query + "&per=week").body())).containsExactly(
                "2026-03-02 ops=3 repaired=3 avg=1200000 max=1800000 alerts=4",
                "2026-03-09 ops=1 repaired=1 avg=3600000 max=3600000 alerts=0",
                "2026-03-30 ops=2 repaired=1 avg=300000 max=300000 alerts=0");
        assertThat(periods(api.get(query + "&per=month").body())).containsExactly(
                "2026-03-01 ops=4 repaired=4 avg=1800000 max=3600000 alerts=4",
                "2026-04-01 ops=2 repaired=1 avg=300000 max=300000 alerts=0");

        assertProblem(api.get(query + "&per=year"), 400, "per");
        assertProblem(api.get(query + "&kind=drill"), 400, "kind");
        assertProblem(api.get("/api/reports/continuity/kpis?from=2026-05-01&to=2026-04-01"), 400, "from");
        assertProblem(api.get("/api/reports/continuity/kpis?to=yesterday"), 400, "to");
    }

    @Test
    void withoutAKpiTableTheAlertFieldsAreAbsentNotNull() throws Exception {
        FailoverEstate estate = estate(ShopSchema.INSTANCE);
        failover(estate, "unplanned", "2026-03-02T10:00:00Z", 10);

        JsonNode kpis = new Api(port).get("/api/reports/continuity/kpis?database=" + estate.primary
                + "&from=2026-03-01&to=2026-03-31&per=week").body();
        JsonNode operation = kpis.get("operations").get(0);
        assertThat(operation.get("timeToRepairMs").asLong()).isEqualTo(600_000);
        assertThat(operation.has("alertsOnFailoverPerDay")).isFalse();
        JsonNode period = kpis.get("periods").get(0);
        assertThat(period.get("averageTimeToRepairMs").asLong()).isEqualTo(600_000);
        assertThat(period.has("alertsOnFailover")).isFalse();
    }

    private FailoverEstate estate(EstateSchema schema) throws Exception {
        FailoverEstate estate = new FailoverEstate(jdbc, false, schema, true);
        estates.add(estate);
        return estate;
    }

    /** An ended failover on record, verified {@code minutes} after its request (null: never verified). */
    private long failover(FailoverEstate estate, String mode, String requested, Integer minutes) {
        Instant at = Instant.parse(requested);
        Timestamp verified = minutes == null ? null : Timestamp.from(at.plus(Duration.ofMinutes(minutes)));
        return jdbc.sql("""
                insert into continuity_operation (kind, mode, database, failover_database, requested_by, reason,
                                                  requested_at, verified_at, ended_at, state)
                values ('failover', ?, ?, ?, 'test', 'kpi', ?, ?, ?, ?) returning id""")
                .params(mode, estate.primary, estate.failover, Timestamp.from(at), verified,
                        Timestamp.from(at.plus(Duration.ofHours(2))), minutes == null ? "incomplete" : "restored")
                .query(Long.class).single();
    }

    private static List<String> periods(JsonNode kpis) {
        List<String> lines = new ArrayList<>();
        for (JsonNode p : kpis.get("periods")) {
            lines.add(p.get("start").asText() + " ops=" + p.get("operations").asInt() + " repaired="
                    + p.get("repaired").asInt() + " avg=" + text(p, "averageTimeToRepairMs") + " max="
                    + text(p, "maxTimeToRepairMs") + " alerts=" + text(p, "alertsOnFailover"));
        }
        return lines;
    }

    private static String text(JsonNode node, String field) {
        return node.has(field) ? node.get(field).asText() : "-";
    }
}
