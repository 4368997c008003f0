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

/** {@code /api/bindings}: which database each consumer uses now. */
@RestController
@RequestMapping("/api/bindings")
class BindingController {

    private final BindingService service;

    BindingController(BindingService service) {
        this.service = service;
    }

    @PutMapping("/{consumer}")
    ResponseEntity<Binding> put(@PathVariable String consumer, @RequestBody BindingRequest body,
            ApiUser user) {
        Access.requireAny(user, EstateAccess.WRITERS);
        return service.put(Inputs.name("consumer", consumer), body).toResponse();
    }

    @GetMapping("/{consumer}")
    Binding get(@PathVariable String consumer) {
        return service.get(Inputs.name("consumer", consumer));
    }

    @GetMapping
    List<Binding> list(@RequestParam(required = false) String database) {
        return service.list(database);
    }
}
