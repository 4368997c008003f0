package dev.sco.orchestrator.dbfailover;

import static dev.sco.orchestrator.Api.assertProblem;
import static dev.sco.orchestrator.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Backups onto a pair's registered backup database and their restore, on the second sample
 * schema (uuid and composite keys, an insert trigger that keeps totals, identity and serial
 * columns) with an enumeration column added: backed up, damaged, restored, equal to before.
 */
@OrchestratorTest
class BackupTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    private FailoverEstate estate;

    @BeforeEach
    void setUp() throws Exception {
        estate = new FailoverEstate(jdbc, false, ShopSchema.INSTANCE, true);
        estate.onPrimary("create type shop.order_state as enum ('open', 'paid', 'shipped')");
        estate.onPrimary("alter table shop.purchase_order add column state shop.order_state not null default 'open'");
        estate.onPrimary("update shop.purchase_order set state = 'paid' where id % 3 = 0");
    }

    @AfterEach
    void cleanUp() {
        estate.close();
    }

    @Test
    void aBackupOfThePrimaryDamagedThenRestoredGivesEveryRowBack() {
        Map<String, String> before = estate.contents(true);
        Api dba = api().as(Api.DBA);

        Api.Response taken = dba.post("/api/backups", json(Map.of("database", estate.primary)));
        assertThat(taken.status()).as(taken.toString()).isEqualTo(201);
        JsonNode backup = taken.body();
        assertThat(backup.get("state").asText()).isEqualTo("completed");
        assertThat(backup.get("pair").asText()).isEqualTo(estate.primary);
        assertThat(backup.get("locationUrl").asText()).isEqualTo(estate.backupUrl());
        String location = backup.get("locationSchema").asText();
        assertThat(location).isEqualTo("sco_backup_b" + backup.get("id").asLong());
        // Every configured table, with its row count, on the backup database (not on the pair's servers).
        assertThat(backup.get("tables")).hasSize(4);
        for (JsonNode table : backup.get("tables")) {
            String name = table.get("name").asText();
            long rows = estate.count(true, "select count(*) from shop." + name);
            assertThat(table.get("rows").asLong()).as(name).isEqualTo(rows).isPositive();
            assertThat(estate.backupJdbc().sql("select count(*) from " + location + "." + name).query(Long.class)
                    .single()).as(name).isEqualTo(rows);
        }
        assertThat(estate.backupJdbc().sql("select count(*) from " + location + ".purchase_order where state = 'paid'")
                .query(Long.class).single()).isPositive();
        assertThat(dba.get("/api/backups?database=" + estate.primary).body()).hasSize(1);

        // Damage: lines gone, orders changed, currencies renamed, and the identity moved back.
        estate.onPrimary("truncate shop.order_line");
        estate.onPrimary("delete from shop.purchase_order where id % 2 = 0");
        estate.onPrimary("update shop.purchase_order set state = 'shipped', total = 0");
        estate.onPrimary("update shop.currency set name = 'damaged'");
        estate.onPrimary("alter table shop.purchase_order alter column id restart with 1");
        assertThat(estate.contents(true)).isNotEqualTo(before);

        Api.Response restored = dba.post("/api/backups/" + backup.get("id").asLong() + "/restore",
                json(Map.of("reason", "bad release wiped the order lines")));
        assertThat(restored.status()).as(restored.toString()).isEqualTo(201);
        assertThat(restored.body().get("state").asText()).isEqualTo("completed");
        assertThat(restored.body().get("totalRows").asLong()).isEqualTo(backup.get("totalRows").asLong());

        // Equal to before: the insert trigger that keeps each order's totals did not run again on
        // the restored lines, and the enumeration came back from its text copy.
        assertThat(estate.contents(true)).isEqualTo(before);
        // The identity is past the restored ids: a new order gets a fresh one.
        estate.onPrimary("insert into shop.purchase_order (customer_id, currency) "
                + "select id, home_currency from shop.customer limit 1");
        JsonNode record = dba.get("/api/backups/" + backup.get("id").asLong()).body();
        assertThat(record.get("restores")).hasSize(1);
        assertThat(record.get("restores").get(0).get("requestedBy").asText()).isEqualTo("dba");
    }

    @Test
    void theBackupDatabaseIsRegisteredOnlyWhenValidReachableAndNotOneOfThePair() {
        Api dba = api().as(Api.DBA);
        String path = "/api/backups/targets/" + estate.primary;
        Map<String, Object> good = Map.of("jdbcUrl", estate.backupUrl(), "username", "postgres");

        assertThat(api().as(Api.OPERATOR).put(path, json(good)).status()).isEqualTo(403);
        assertProblem(dba.put("/api/backups/targets/no-such-db", json(good)), 404, "database");
        assertProblem(dba.put("/api/backups/targets/" + estate.failover, json(good)), 400, "database");
        assertProblem(dba.put(path, json(Map.of("jdbcUrl", "jdbc:postgresql://elsewhere.example:5432/b",
                "username", "postgres"))), 400, "jdbcUrl");
        assertProblem(dba.put(path, json(Map.of("jdbcUrl", estate.backupUrl(), "username", "postgres",
                "passwordEnv", "PRIMARY_DB_PASSWORD"))), 400, "passwordEnv");
        assertProblem(dba.put(path, json(Map.of("jdbcUrl", estate.backupUrl(), "username", "postgres",
                "passwordEnv", "ORCHESTRATOR_TARGET_UNSET_BACKUP_PASSWORD"))), 400, "passwordEnv");
        assertProblem(dba.put(path, json(Map.of("username", "postgres"))), 400, "jdbcUrl");
        assertProblem(dba.put(path, json(Map.of("jdbcUrl", estate.backupUrl()))), 400, "username");
        // The pair's own databases are refused: a backup must not live on what it protects.
        String primaryUrl = jdbc.sql("select jdbc_url from database_endpoint where name = ?").param(estate.primary)
                .query(String.class).single();
        String failoverUrl = jdbc.sql("select jdbc_url from database_endpoint where name = ?").param(estate.failover)
                .query(String.class).single();
        assertProblem(dba.put(path, json(Map.of("jdbcUrl", primaryUrl, "username", "postgres"))), 400, "jdbcUrl");
        assertProblem(dba.put(path, json(Map.of("jdbcUrl", failoverUrl, "username", "postgres"))), 400, "jdbcUrl");
        // Not reachable: nothing listens there (a database that does not exist on a live server).
        assertProblem(dba.put(path, json(Map.of("jdbcUrl", estate.backupUrl() + "_missing", "username", "postgres"))),
                400, "jdbcUrl");
        assertThat(jdbc.sql("select jdbc_url from backup_target where database = ?").param(estate.primary)
                .query(String.class).single()).isEqualTo(estate.backupUrl());

        Api.Response replaced = dba.put(path, json(good));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.body().get("registeredBy").asText()).isEqualTo("dba");
        // The demo estate registers its own, on the failover server, through the same service.
        JsonNode all = api().get("/api/backups/targets").body();
        assertThat(all.findValuesAsText("database")).contains("demo-primary", estate.primary);
    }

    @Test
    void aRestoreIsRefusedWhileTheSyncOrAContinuityOperationOfThePairRuns() {
        Api dba = api().as(Api.DBA);
        long id = dba.post("/api/backups", json(Map.of("database", estate.primary))).body().get("id").asLong();
        String restore = "/api/backups/" + id + "/restore";
        String body = json(Map.of("reason", "test"));

        jdbc.sql("insert into sync_state (database, running_run_id, running_since) values (?, -1, now())")
                .param(estate.primary).update();
        assertProblem(dba.post(restore, body), 409, "id");
        jdbc.sql("delete from sync_state where database = ?").param(estate.primary).update();

        long op = jdbc.sql("""
                insert into continuity_operation (kind, mode, database, failover_database, requested_by, reason,
                                                  requested_at, state)
                values ('failover', 'planned', ?, ?, 'test', 'guard', now(), 'requested') returning id""")
                .params(estate.primary, estate.failover).query(Long.class).single();
        assertProblem(dba.post(restore, body), 409, "id");
        jdbc.sql("update continuity_operation set ended_at = now(), state = 'declined' where id = ?").param(op).update();

        assertThat(api().as(Api.OPERATOR).post(restore, body).status()).isEqualTo(403);
        assertProblem(dba.post(restore, "{}"), 400, "reason");
        assertProblem(dba.post("/api/backups/999999999/restore", body), 404, "id");
        assertThat(jdbc.sql("select count(*) from backup_restore where backup_id = ?").param(id).query(Long.class)
                .single()).isZero();
        assertThat(dba.post(restore, body).status()).isEqualTo(201);
    }

    @Test
    void withoutABackupDatabaseNeitherABackupNorARestorationIsAccepted() {
        jdbc.sql("delete from backup_target where database = ?").param(estate.primary).update();
        Api dba = api().as(Api.DBA);

        Api.Response backup = dba.post("/api/backups", json(Map.of("database", estate.failover)));
        assertProblem(backup, 409, "database");
        assertThat(backup.text("detail")).contains("No backup database is registered");
        Api.Response restoration = dba.post("/api/restorations", json(Map.of("database", estate.primary,
                "reason", "repaired", "instance", "any")));
        assertProblem(restoration, 409, "database");
        assertThat(restoration.text("detail")).contains("No backup database is registered");
        Api.Response byHand = dba.post("/engine-rest/process-definition/key/" + DatabaseRestorationProcess.KEY
                + "/start", "{\"variables\": {\"database\": {\"value\": \"" + estate.primary + "\", \"type\": \"String\"},"
                + " \"reason\": {\"value\": \"repaired\", \"type\": \"String\"},"
                + " \"instance\": {\"value\": \"any\", \"type\": \"String\"}}}");
        assertProblem(byHand, 409, "variables.database");
        assertThat(byHand.text("detail")).contains("No backup database is registered");
        assertThat(jdbc.sql("select count(*) from backup where database in (?, ?)")
                .params(estate.primary, estate.failover).query(Long.class).single()).isZero();
    }

    private Api api() {
        return new Api(port);
    }
}
