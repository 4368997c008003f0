package dev.sco.orchestrator.sync;

import java.util.Map;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.Inputs;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Sync runs of a pair, named by its primary: start one, clear a stale flag, read the run log and status. */
@RestController
class SyncController {

    private final SyncService service;
    private final SyncStatus status;

    SyncController(SyncService service, SyncStatus status) {
        this.service = service;
        this.status = status;
    }

    @PostMapping("/api/sync/{database}/runs")
    ResponseEntity<Map<String, Object>> start(@PathVariable String database, ApiUser user) {
        Access.requireAny(user, Groups.DBA, Groups.OPERATORS);
        Inputs.name("database", database);
        long runId = service.startManual(database, user.id());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("database", database, "runId", runId,
                "node", service.node()));
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
