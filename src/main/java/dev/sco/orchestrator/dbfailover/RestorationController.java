package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.Conflict;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/restorations}: bring the consumers back to a repaired primary. */
@RestController
class RestorationController {

    private final RestorationService restorations;
    private final TargetDatabases targets;
    private final JdbcClient jdbc;
    private final BackupTargets backupTargets;

    RestorationController(RestorationService restorations, TargetDatabases targets, JdbcClient jdbc,
                          BackupTargets backupTargets) {
        this.backupTargets = backupTargets;
        this.restorations = restorations;
        this.targets = targets;
        this.jdbc = jdbc;
    }

    /**
     * {@code instance} (optional): the monitored instance whose agents the post-clone check looks at
     * after a copy back; without one no post-clone check runs (a pair with no agents of its own).
     */
    record RestorationRequest(String database, String reason, String ticket, String instance) {
    }

    @PostMapping("/api/restorations")
    ResponseEntity<ContinuityOperation> request(@RequestBody RestorationRequest body, ApiUser user) {
        Access.requireAny(user, Groups.DBA);
        String database = Inputs.name("database", body.database());
        String reason = Inputs.text("reason", body.reason(), 1_000);
        String ticket = body.ticket() == null ? null : Inputs.text("ticket", body.ticket(), 128);
        String instance = body.instance() == null || body.instance().isEmpty() ? null
                : Inputs.name("instance", body.instance());
        if (targets.find(database).isEmpty()) {
            throw new NotFound("database", "No database named '" + database + "'");
        }
        if (backupTargets.forPair(database).isEmpty()) {
            throw new Conflict("database", "No backup database is registered for the pair of '" + database
                    + "': a restoration may copy the failover database back over the primary, which needs a backup "
                    + "first. Register one with PUT /api/backups/targets/{primary}");
        }
        if (instance != null
                && !jdbc.sql("select exists (select 1 from agent where instance = ?)").param(instance).query(Boolean.class).single()) {
            throw new NotFound("instance", "No agent is registered for instance '" + instance + "'");
        }
        RestorationService.Outcome outcome = restorations.request(database, reason, ticket, instance, user.id());
        if (outcome.refusal() != null) {
            throw new Conflict("database", outcome.refusal());
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(outcome.operation());
    }
}
