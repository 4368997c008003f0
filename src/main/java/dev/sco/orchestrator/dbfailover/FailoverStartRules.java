package dev.sco.orchestrator.dbfailover;

import java.util.List;
import java.util.Set;

import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.rails.StartRules;
import dev.sco.orchestrator.platform.rails.StartVariables;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Conflict;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.stereotype.Component;

/**
 * A failover started over the engine REST API or a Tasklist start form takes what
 * {@code POST /api/failovers} takes; the operation record is made when the process starts (the
 * requester is the authenticated user, never a variable).
 */
@Component
class FailoverStartRules implements StartRules {

    static final Set<String> MODES = Set.of(DatabaseFailoverProcess.MODE_UNPLANNED,
            DatabaseFailoverProcess.MODE_PLANNED, DatabaseFailoverProcess.MODE_DRILL);

    private final FailoverRequests requests;

    FailoverStartRules(FailoverRequests requests) {
        this.requests = requests;
    }

    @Override
    public String processKey() {
        return DatabaseFailoverProcess.KEY;
    }

    @Override
    public List<String> startingGroups() {
        return List.of(Groups.DBA, Groups.OPERATORS);
    }

    @Override
    public List<String> accepted() {
        return List.of(DatabaseFailoverProcess.VAR_DATABASE, DatabaseFailoverProcess.VAR_MODE,
                DatabaseFailoverProcess.VAR_REASON, DatabaseFailoverProcess.VAR_TICKET);
    }

    @Override
    public void check(StartVariables variables) {
        String database = variables.name(DatabaseFailoverProcess.VAR_DATABASE);
        if (variables.optionalChoice(DatabaseFailoverProcess.VAR_MODE, MODES) == null) {
            throw new BadRequest(StartVariables.field(DatabaseFailoverProcess.VAR_MODE),
                    "Start variable 'mode' is required: unplanned, planned or drill");
        }
        variables.requiredText(DatabaseFailoverProcess.VAR_REASON, 1_000);
        variables.optionalText(DatabaseFailoverProcess.VAR_TICKET, 128);
        String field = StartVariables.field(DatabaseFailoverProcess.VAR_DATABASE);
        requests.check(database).ifPresent(refusal -> {
            if (refusal instanceof FailoverRequests.UnknownDatabase) {
                throw new NotFound(field, "No database named '" + database + "'");
            }
            if (refusal instanceof FailoverRequests.NotAPrimary p) {
                throw new BadRequest(field, "'" + database + "' is a " + p.role() + " database; fail over its primary");
            }
            if (refusal instanceof FailoverRequests.NotActingPrimary a) {
                throw new Conflict(field, "Failover refused: " + a);
            }
            throw new BadRequest(field, "'" + database + "' has no failover partner (pairedWith)");
        });
        if (!DatabaseFailoverProcess.MODE_DRILL.equals(variables.optionalChoice(DatabaseFailoverProcess.VAR_MODE, MODES))) {
            requests.running(database).ifPresent(running -> {
                throw new Conflict(field, "A failover of '" + database + "' is already running: operation "
                        + running.id() + ", process " + running.processInstanceId());
            });
        }
    }
}
