package dev.sco.orchestrator.postclone;

import java.util.List;

import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.rails.StartRules;
import dev.sco.orchestrator.platform.rails.StartVariables;
import dev.sco.orchestrator.platform.web.Conflict;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.stereotype.Component;

/**
 * A post-clone check started by hand takes what {@code POST /api/clones} takes: a new clone id, a
 * known instance and the completion time. Who reported it is the authenticated user.
 */
@Component
class PostCloneStartRules implements StartRules {

    private final PostCloneService service;
    private final PostCloneRepository repository;

    PostCloneStartRules(PostCloneService service, PostCloneRepository repository) {
        this.service = service;
        this.repository = repository;
    }

    @Override
    public String processKey() {
        return PostCloneCheckProcess.KEY;
    }

    @Override
    public List<String> startingGroups() {
        return List.of(Groups.OPERATORS, Groups.MID_ADMINS, Groups.DBA);
    }

    @Override
    public List<String> accepted() {
        return List.of(PostCloneCheckProcess.VAR_CLONE_ID, PostCloneCheckProcess.VAR_INSTANCE,
                PostCloneCheckProcess.VAR_COMPLETED_AT);
    }

    @Override
    public void check(StartVariables variables) {
        String cloneId = variables.name(PostCloneCheckProcess.VAR_CLONE_ID);
        String instance = variables.name(PostCloneCheckProcess.VAR_INSTANCE);
        variables.dateTime(PostCloneCheckProcess.VAR_COMPLETED_AT);
        if (!service.instanceKnown(instance)) {
            throw new NotFound(StartVariables.field(PostCloneCheckProcess.VAR_INSTANCE),
                    "No agent is registered for instance '" + instance + "'");
        }
        repository.findClone(cloneId).ifPresent(known -> {
            throw new Conflict(StartVariables.field(PostCloneCheckProcess.VAR_CLONE_ID), "Clone '" + cloneId
                    + "' is already reported: its check is process " + known.processInstanceId());
        });
    }
}
