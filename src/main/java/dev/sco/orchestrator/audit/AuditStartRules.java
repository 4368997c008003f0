package dev.sco.orchestrator.audit;

import java.util.List;

import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.rails.StartRules;
import dev.sco.orchestrator.platform.rails.StartVariables;
import dev.sco.orchestrator.platform.web.BadRequest;
import org.springframework.stereotype.Component;

/** An audit started by hand (a drill of the review) may only shorten or lengthen its review delay. */
@Component
class AuditStartRules implements StartRules {

    @Override
    public String processKey() {
        return ContinuityAuditProcess.KEY;
    }

    @Override
    public List<String> startingGroups() {
        return List.of(Groups.OPERATORS);
    }

    @Override
    public List<String> accepted() {
        return List.of(ContinuityAuditProcess.VAR_REVIEW_DUE_AFTER);
    }

    @Override
    public void check(StartVariables variables) {
        String due = variables.optionalText(ContinuityAuditProcess.VAR_REVIEW_DUE_AFTER, 64);
        String problem = due == null ? null : AuditSettings.durationProblem(due.trim());
        if (problem != null) {
            throw new BadRequest(StartVariables.field(ContinuityAuditProcess.VAR_REVIEW_DUE_AFTER),
                    "Start variable 'reviewDueAfter' " + problem);
        }
    }
}
