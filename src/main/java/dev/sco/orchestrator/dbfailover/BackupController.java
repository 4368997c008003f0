package dev.sco.orchestrator.dbfailover;

import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.target.TargetDatabaseException;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.ApiProblem;
import dev.sco.orchestrator.platform.web.Conflict;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/backups}: the backup database of each pair, the recorded backups, a DBA's backup on
 * demand and the restore of a backup. Reading is open to every signed-in user; registering,
 * backing up and restoring to DBAs and administrators.
 */
@RestController
class BackupController {

    private static final String[] WRITERS = {Groups.DBA, Groups.ADMIN};

    private final BackupTargets targets;
    private final BackupService backups;

    BackupController(BackupTargets targets, BackupService backups) {
        this.targets = targets;
        this.backups = backups;
    }

    @PutMapping("/api/backups/targets/{database}")
    ResponseEntity<BackupTargets.BackupTarget> putTarget(@PathVariable String database,
                                                         @RequestBody BackupTargets.Request body, ApiUser user) {
        Access.requireAny(user, WRITERS);
        return targets.put(Inputs.name("database", database), body, user.id()).toResponse();
    }

    @GetMapping("/api/backups/targets")
    List<BackupTargets.BackupTarget> targets() {
        return targets.list();
    }

    record BackupRequest(String database) {
    }

    /** A backup now of one database of a pair (either side), outside any continuity operation. */
    @PostMapping("/api/backups")
    ResponseEntity<BackupService.Backup> backup(@RequestBody BackupRequest body, ApiUser user) {
        Access.requireAny(user, WRITERS);
        String database = Inputs.name("database", body.database());
        try {
            return ResponseEntity.status(HttpStatus.CREATED).body(backups.backup(null, database));
        } catch (IllegalStateException e) {
            // No backup database registered for the pair, or no tables registered for its sync.
            throw new Conflict("database", e.getMessage());
        } catch (TargetDatabaseException e) {
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, "database", e.getMessage());
        }
    }

    @GetMapping("/api/backups")
    List<BackupService.Backup> list(@RequestParam(required = false) String database,
                                    @RequestParam(defaultValue = "100") int limit) {
        Inputs.range("limit", limit, 1, 1_000);
        return backups.list(Inputs.optionalName("database", database), limit);
    }

    @GetMapping("/api/backups/{id}")
    Map<String, Object> get(@PathVariable long id) {
        BackupService.Backup backup = backups.find(id).orElseThrow(() -> new NotFound("id", "No backup " + id));
        return Map.of("backup", backup, "restores", backups.restores(id));
    }

    record RestoreRequest(String reason) {
    }

    /** Restores the backup onto the database it was taken from (every table of it, one transaction). */
    @PostMapping("/api/backups/{id}/restore")
    ResponseEntity<BackupService.Restore> restore(@PathVariable long id, @RequestBody RestoreRequest body,
                                                  ApiUser user) {
        Access.requireAny(user, WRITERS);
        String reason = Inputs.text("reason", body.reason(), 1_000);
        try {
            return ResponseEntity.status(HttpStatus.CREATED).body(backups.restore(id, reason, user.id()));
        } catch (TargetDatabaseException e) {
            // Recorded as a failed restore; the database was left as it was (one transaction).
            throw new ApiProblem(HttpStatus.BAD_GATEWAY, "id", e.getMessage());
        }
    }
}
