package dev.sco.orchestrator.standby;

import java.util.List;
import java.util.Set;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Hot standby operation of hub pairs: where to connect, the standby's state, information bases, events. */
@RestController
@RequestMapping("/api/hubs/{pair}")
class StandbyController {

    static final Set<String> KINDS = Set.of("situation", "policy", "managed-system", "distribution");
    static final Set<String> POLICY_STATES = Set.of("running", "stopped");
    static final int MAX_DEFINITION_LENGTH = 1_000_000;

    private static final String[] WRITERS = {Groups.OPERATORS, Groups.DBA, Groups.ADMIN};

    private final StandbyService service;

    StandbyController(StandbyService service) {
        this.service = service;
    }

    record DefinitionRequest(String kind, String definition) {
    }

    record PolicyRequest(String state, Integer step) {
    }

    @GetMapping("/connect")
    ConnectAnswer connect(@PathVariable String pair, @RequestParam(required = false) String via) {
        return service.connect(Inputs.name("pair", pair), Inputs.optionalName("via", via));
    }

    @GetMapping("/standby")
    StandbyService.StandbyStatus standby(@PathVariable String pair) {
        return service.status(Inputs.name("pair", pair));
    }

    @PutMapping("/{hub}/definitions/{name}")
    ResponseEntity<StandbyRepository.Definition> putDefinition(@PathVariable String pair, @PathVariable String hub,
            @PathVariable String name, @RequestBody DefinitionRequest body, ApiUser user) {
        Access.requireAny(user, WRITERS);
        Inputs.name("pair", pair);
        Inputs.name("hub", hub);
        Inputs.name("name", name);
        oneOf("kind", body.kind(), KINDS);
        String definition = Inputs.required("definition", body.definition());
        if (definition.isBlank() || definition.length() > MAX_DEFINITION_LENGTH) {
            throw new BadRequest("definition", "'definition' must be 1-" + MAX_DEFINITION_LENGTH
                    + " characters, not blank");
        }
        return ResponseEntity.ok(service.putDefinition(pair, hub, name, body.kind(), definition));
    }

    @GetMapping("/{hub}/definitions")
    List<StandbyRepository.Definition> definitions(@PathVariable String pair, @PathVariable String hub) {
        return service.definitions(Inputs.name("pair", pair), Inputs.name("hub", hub));
    }

    @PutMapping("/policies/{name}")
    ResponseEntity<StandbyRepository.Policy> putPolicy(@PathVariable String pair, @PathVariable String name,
            @RequestBody PolicyRequest body, ApiUser user) {
        Access.requireAny(user, WRITERS);
        Inputs.name("pair", pair);
        Inputs.name("name", name);
        oneOf("state", body.state(), POLICY_STATES);
        int step = Inputs.range("step", Inputs.required("step", body.step()), 0, 1_000_000);
        boolean created = service.putPolicy(pair, name, body.state(), step);
        StandbyRepository.Policy policy = service.policies(pair).stream()
                .filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK).body(policy);
    }

    @GetMapping("/policies")
    List<StandbyRepository.Policy> policies(@PathVariable String pair) {
        return service.policies(Inputs.name("pair", pair));
    }

    @GetMapping("/situations")
    List<StandbyRepository.Situation> situations(@PathVariable String pair) {
        return service.situations(Inputs.name("pair", pair));
    }

    /** The acting hub has evaluated the situation again after a takeover. */
    @PostMapping("/situations/{name}/evaluated")
    ResponseEntity<Void> situationEvaluated(@PathVariable String pair, @PathVariable String name, ApiUser user) {
        Access.requireAny(user, WRITERS);
        service.situationEvaluated(Inputs.name("pair", pair), Inputs.name("name", name));
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/events")
    List<StandbyRepository.Event> events(@PathVariable String pair, @RequestParam(defaultValue = "100") int limit) {
        Inputs.name("pair", pair);
        Inputs.range("limit", limit, 1, 1000);
        return service.events(pair, limit);
    }

    private static void oneOf(String field, String value, Set<String> allowed) {
        Inputs.required(field, value);
        if (!allowed.contains(value)) {
            throw new BadRequest(field, "'" + field + "' must be one of " + allowed.stream().sorted().toList());
        }
    }
}
