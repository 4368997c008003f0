package dev.sco.orchestrator.dbfailover;

import java.util.List;

import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.rails.StartRules;
import dev.sco.orchestrator.platform.rails.StartVariables;
import dev.sco.orchestrator.platform.web.Conflict;
import org.springframework.stereotype.Component;

/** A restoration started by hand takes what {@code POST /api/restorations} takes. */
@Component
class RestorationStartRules implements StartRules {

    private final RestorationService restorations;
    private final BackupTargets backupTargets;

    RestorationStartRules(RestorationService restorations, BackupTargets backupTargets) {
        this.restorations = restorations;
        this.backupTargets = backupTargets;
    }

    @Override
    public String processKey() {
        return DatabaseRestorationProcess.KEY;
    }

    @Override
    public List<String> startingGroups() {
        return List.of(Groups.DBA);
    }

    @Override
    public List<String> accepted() {
        return List.of(DatabaseFailoverProcess.VAR_DATABASE, DatabaseFailoverProcess.VAR_REASON,
                DatabaseFailoverProcess.VAR_TICKET, DatabaseRestorationProcess.VAR_INSTANCE);
    }

    @Override
    public void check(StartVariables variables) {
        String database = variables.name(DatabaseFailoverProcess.VAR_DATABASE);
        variables.requiredText(DatabaseFailoverProcess.VAR_REASON, 1_000);
        variables.optionalText(DatabaseFailoverProcess.VAR_TICKET, 128);
        // Optional: without an instance the copy back runs no post-clone check.
        variables.optionalName(DatabaseRestorationProcess.VAR_INSTANCE);
        if (backupTargets.forPair(database).isEmpty()) {
            throw new Conflict(StartVariables.field(DatabaseFailoverProcess.VAR_DATABASE), "No backup database is "
                    + "registered for the pair of '" + database + "': a restoration may copy the failover database "
                    + "back over the primary, which needs a backup first (PUT /api/backups/targets/{primary})");
        }
        restorations.refusal(database).ifPresent(refusal -> {
            throw new Conflict(StartVariables.field(DatabaseFailoverProcess.VAR_DATABASE), refusal);
        });
    }
}
