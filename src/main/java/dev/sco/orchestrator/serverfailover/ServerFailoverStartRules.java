package dev.sco.orchestrator.serverfailover;

import java.util.List;

import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.rails.StartRules;
import dev.sco.orchestrator.platform.rails.StartVariables;
import dev.sco.orchestrator.platform.web.Conflict;
import org.springframework.stereotype.Component;

/**
 * A server failover started by hand names only the server; it must be Down and not already in an
 * open outage. The outage, the standby and who started it come from the orchestrator's records.
 */
@Component
class ServerFailoverStartRules implements StartRules {

    private final ServerFailoverService service;

    ServerFailoverStartRules(ServerFailoverService service) {
        this.service = service;
    }

    @Override
    public String processKey() {
        return ServerFailoverProcess.KEY;
    }

    @Override
    public List<String> startingGroups() {
        return List.of(Groups.MID_ADMINS, Groups.OPERATORS);
    }

    @Override
    public List<String> accepted() {
        return List.of(ServerFailoverProcess.VAR_SERVER);
    }

    @Override
    public void check(StartVariables variables) {
        String server = variables.name(ServerFailoverProcess.VAR_SERVER);
        String refusal = service.handStartRefusal(server);
        if (refusal != null) {
            throw new Conflict(StartVariables.field(ServerFailoverProcess.VAR_SERVER), refusal);
        }
    }
}
