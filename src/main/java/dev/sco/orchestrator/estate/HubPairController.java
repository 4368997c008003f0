package dev.sco.orchestrator.estate;

import java.util.List;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.Inputs;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/hubs}: hot-standby hub pairs, their heartbeats and roles. */
@RestController
@RequestMapping("/api/hubs")
class HubPairController {

    private final HubPairService service;

    HubPairController(HubPairService service) {
        this.service = service;
    }

    @PutMapping("/{pair}")
    ResponseEntity<HubPair> put(@PathVariable String pair, @RequestBody HubPairRequest body,
            ApiUser user) {
        Access.requireAny(user, EstateAccess.WRITERS);
        return service.put(Inputs.name("pair", pair), body).toResponse();
    }

    @PostMapping("/{pair}/{hub}/heartbeat")
    ResponseEntity<Void> heartbeat(@PathVariable String pair, @PathVariable String hub,
            ApiUser user) {
        Access.requireAny(user, EstateAccess.HEARTBEAT_WRITERS);
        service.heartbeat(Inputs.name("pair", pair), Inputs.name("hub", hub));
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{pair}")
    HubPair get(@PathVariable String pair) {
        return service.get(Inputs.name("pair", pair));
    }

    @GetMapping
    List<HubPair> list() {
        return service.list();
    }
}
