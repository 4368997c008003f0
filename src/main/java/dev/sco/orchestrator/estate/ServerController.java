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
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/servers}: servers of the monitored estate and their derived status. */
@RestController
@RequestMapping("/api/servers")
class ServerController {

    private final ServerService service;

    ServerController(ServerService service) {
        this.service = service;
    }

    @PutMapping("/{name}")
    ResponseEntity<Server> put(@PathVariable String name, @RequestBody ServerRequest body,
            ApiUser user) {
        Access.requireAny(user, EstateAccess.WRITERS);
        return service.put(Inputs.name("name", name), body).toResponse();
    }

    @GetMapping("/{name}")
    Server get(@PathVariable String name) {
        return service.get(Inputs.name("name", name));
    }

    @GetMapping
    List<Server> list() {
        return service.list();
    }
}
