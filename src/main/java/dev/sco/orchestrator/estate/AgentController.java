package dev.sco.orchestrator.estate;

import java.util.List;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.Inputs;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/agents}: agents, their chains and their status reports. */
@RestController
@RequestMapping("/api/agents")
class AgentController {

    private final AgentService agents;
    private final AgentStatusService statuses;

    AgentController(AgentService agents, AgentStatusService statuses) {
        this.agents = agents;
        this.statuses = statuses;
    }

    @PutMapping("/{name}")
    ResponseEntity<Agent> put(@PathVariable String name, @RequestBody AgentRequest body,
            ApiUser user) {
        Access.requireAny(user, EstateAccess.WRITERS);
        return agents.put(Inputs.name("name", name), body).toResponse();
    }

    @PutMapping("/{name}/status")
    AgentStatusTransition status(@PathVariable String name, @RequestBody AgentStatusRequest body,
            ApiUser user) {
        Access.requireAny(user, EstateAccess.WRITERS);
        Inputs.name("name", name);
        return statuses.changeStatus(name, Inputs.required("status", body.status()));
    }

    @GetMapping("/{name}")
    Agent get(@PathVariable String name) {
        return agents.get(Inputs.name("name", name));
    }

    @GetMapping
    List<Agent> list(@RequestParam(required = false) String instance) {
        return agents.list(instance);
    }
}
