package dev.sco.orchestrator.sync;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.continuity.PairTables;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import dev.sco.orchestrator.platform.web.PutResult;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Sync runs of a pair, named by its primary: start one, clear a stale flag, read the run log and status. */
@RestController
class SyncController {

    private final SyncService service;
    private final SyncStatus status;
    private final SyncTables tables;

    SyncController(SyncService service, SyncStatus status, SyncTables tables) {
        this.service = service;
        this.status = status;
        this.tables = tables;
    }

    @PostMapping("/api/sync/{database}/runs")
    ResponseEntity<Map<String, Object>> start(@PathVariable String database, ApiUser user) {
        Access.requireAny(user, Groups.DBA, Groups.OPERATORS);
        Inputs.name("database", database);
        long runId = service.startManual(database, user.id());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("database", database, "runId", runId,
                "node", service.node()));
    }

    /** Body of {@code PUT /api/sync/{database}/tables}: the application schema and its tables in copy order. */
    record TablesRequest(String schema, List<TableRequest> tables) {
    }

    /** One table; {@code incrementColumn} is absent for a non-referenced table, {@code kpi} optional. */
    record TableRequest(String name, String kind, String incrementColumn, Boolean kpi) {
    }

    record TablesView(String database, String schema, List<PairTables.Table> tables, Instant updatedAt,
                      String updatedBy) {
    }

    /** Sets what the pair synchronises; DBAs and administrators, as for {@code PUT /api/databases}. */
    @PutMapping("/api/sync/{database}/tables")
    ResponseEntity<TablesView> putTables(@PathVariable String database, @RequestBody TablesRequest body, ApiUser user) {
        Access.requireAny(user, Groups.DBA, Groups.ADMIN);
        Inputs.name("database", database);
        Inputs.required("body", body);
        List<PairTables.Table> list = new ArrayList<>();
        if (body.tables() != null) {
            for (int i = 0; i < body.tables().size(); i++) {
                TableRequest t = body.tables().get(i);
                if (t == null) {
                    throw new BadRequest("tables[" + i + "]", "'tables[" + i + "]' is empty");
                }
                list.add(new PairTables.Table(t.name(), t.kind(), t.incrementColumn(), Boolean.TRUE.equals(t.kpi())));
            }
        }
        boolean created = service.setTables(database, new PairTables.TableList(body.schema(), list), user.id());
        return new PutResult<>(created, tablesView(database)).toResponse();
    }

    @GetMapping("/api/sync/{database}/tables")
    TablesView getTables(@PathVariable String database) {
        Inputs.name("database", database);
        service.pair(database);
        return tablesView(database);
    }

    private TablesView tablesView(String database) {
        SyncTables.Registration registration = tables.registration(database).orElseThrow(() -> new NotFound("database",
                "No tables are registered for the sync of '" + database + "'"));
        return new TablesView(database, registration.tables().schema(), registration.tables().tables(),
                registration.updatedAt(), registration.updatedBy());
    }

    @PostMapping("/api/sync/{database}/reset")
    Map<String, Object> reset(@PathVariable String database, ApiUser user) {
        Access.requireAny(user, Groups.DBA, Groups.OPERATORS);
        Inputs.name("database", database);
        return service.reset(database)
                .<Map<String, Object>>map(runId -> Map.of("database", database, "reset", true, "runId", runId))
                .orElseGet(() -> Map.of("database", database, "reset", false));
    }

    @GetMapping("/api/sync/{database}/runs")
    SyncStatus.View runs(@PathVariable String database, @RequestParam(defaultValue = "20") int limit) {
        Inputs.name("database", database);
        Inputs.range("limit", limit, 1, 500);
        SyncPair pair = service.pair(database);
        return status.view(pair, limit);
    }
}
