package dev.sco.orchestrator.pause;

import java.util.List;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.Inputs;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/pauses}: maintenance pauses. Creating and ending one needs {@code dba} or
 * {@code operators} (or an administrator); who did it is the authenticated user.
 */
@RestController
@RequestMapping("/api/pauses")
class PauseController {

    private final PauseService service;

    PauseController(PauseService service) {
        this.service = service;
    }

    @PostMapping
    ResponseEntity<Pause> create(@RequestBody PauseRequest body, ApiUser user) {
        Access.requireAny(user, Groups.DBA, Groups.OPERATORS);
        return ResponseEntity.status(HttpStatus.CREATED).body(service.create(body, user.id()));
    }

    /** Active pauses and those awaiting review, then the {@code ended} most recently ended ones. */
    @GetMapping
    List<Pause> list(@RequestParam(defaultValue = "50") int ended) {
        Inputs.range("ended", ended, 0, 1_000);
        return service.list(ended);
    }

    @GetMapping("/{id}")
    Pause get(@PathVariable long id) {
        return service.get(id);
    }

    /** Ends an active pause now: 409 when it has already ended. */
    @PostMapping("/{id}/end")
    Pause end(@PathVariable long id, ApiUser user) {
        Access.requireAny(user, Groups.DBA, Groups.OPERATORS);
        return service.endEarly(id, user.id());
    }
}
