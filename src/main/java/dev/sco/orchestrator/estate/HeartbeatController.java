package dev.sco.orchestrator.estate;

import java.util.List;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.Inputs;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Server heartbeats: one at a time, or in batches from a relay. */
@RestController
class HeartbeatController {

    private final HeartbeatService service;

    HeartbeatController(HeartbeatService service) {
        this.service = service;
    }

    @PostMapping("/api/servers/{name}/heartbeat")
    ResponseEntity<Void> beat(@PathVariable String name,
            ApiUser user) {
        Access.requireAny(user, EstateAccess.HEARTBEAT_WRITERS);
        service.beat(Inputs.name("name", name));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/heartbeats")
    HeartbeatBatchResult beatAll(@RequestBody List<HeartbeatRequest> body,
            ApiUser user) {
        Access.requireAny(user, EstateAccess.HEARTBEAT_WRITERS);
        return service.beatAll(body);
    }
}
