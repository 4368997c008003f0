package dev.sco.orchestrator.postclone;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Clone reports, and the agent issues they lead to. */
@RestController
class PostCloneController {

    /** A clone reported as finished further in the future than this is a clock or input error. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final PostCloneService service;
    private final Clock clock;

    PostCloneController(PostCloneService service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    record CloneRequest(String cloneId, String instance, OffsetDateTime completedAt) {
    }

    @PostMapping("/api/clones")
    ResponseEntity<Map<String, Object>> reportClone(@RequestBody CloneRequest request, ApiUser user) {
        Access.requireAny(user, Groups.OPERATORS, Groups.MID_ADMINS, Groups.DBA);
        String cloneId = Inputs.name("cloneId", request.cloneId());
        String instance = Inputs.name("instance", request.instance());
        OffsetDateTime completedAt = Inputs.required("completedAt", request.completedAt());
        if (completedAt.toInstant().isAfter(clock.instant().plus(MAX_CLOCK_SKEW))) {
            throw new BadRequest("completedAt", "'completedAt' is more than " + MAX_CLOCK_SKEW.toMinutes()
                    + " minutes in the future");
        }
        if (!service.instanceKnown(instance)) {
            throw new NotFound("instance", "No agent is registered for instance '" + instance + "'");
        }
        PostCloneService.CloneReport report = service.reportClone(cloneId, instance, completedAt.toInstant(), user.id());
        return ResponseEntity.status(report.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(Map.of("cloneId", report.cloneId(), "processInstanceId", report.processInstanceId(),
                        "created", report.created()));
    }

    @GetMapping("/api/agents/{name}/issues")
    List<AgentIssue> issuesOfAgent(@PathVariable String name) {
        Inputs.name("name", name);
        if (!service.agentExists(name)) {
            throw new NotFound("name", "No agent named '" + name + "'");
        }
        return service.issuesOfAgent(name);
    }

    @GetMapping("/api/issues")
    List<AgentIssue> issues(@RequestParam(required = false) String state,
                            @RequestParam(required = false) String source,
                            @RequestParam(defaultValue = "500") int limit) {
        if (state != null && !List.of(AgentIssue.OPEN, AgentIssue.RESOLVED).contains(state)) {
            throw new BadRequest("state", "'state' must be Open or Resolved");
        }
        Inputs.optionalName("source", source);
        Inputs.range("limit", limit, 1, 10_000);
        return service.issues(state, source, limit);
    }
}
