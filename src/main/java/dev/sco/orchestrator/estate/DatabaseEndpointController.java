package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.platform.target.DatabaseEndpoint;
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

/** {@code /api/databases}: target database endpoints; only DBAs and administrators change them. */
@RestController
@RequestMapping("/api/databases")
class DatabaseEndpointController {

    private final DatabaseEndpointService service;

    DatabaseEndpointController(DatabaseEndpointService service) {
        this.service = service;
    }

    @PutMapping("/{name}")
    ResponseEntity<DatabaseEndpoint> put(@PathVariable String name, @RequestBody DatabaseEndpointRequest body,
            ApiUser user) {
        Access.requireAny(user, EstateAccess.DATABASE_WRITERS);
        return service.put(Inputs.name("name", name), body).toResponse();
    }

    @GetMapping("/{name}")
    DatabaseEndpoint get(@PathVariable String name) {
        return service.get(Inputs.name("name", name));
    }

    /** How the database's acting role changed over time, by which operation and why. */
    @GetMapping("/{name}/roles")
    List<DatabaseEndpointRepository.RoleChange> roles(@PathVariable String name,
                                                      @RequestParam(defaultValue = "100") int limit) {
        Inputs.range("limit", limit, 1, 1_000);
        return service.roles(Inputs.name("name", name), limit);
    }

    @GetMapping
    List<DatabaseEndpoint> list() {
        return service.list();
    }
}
