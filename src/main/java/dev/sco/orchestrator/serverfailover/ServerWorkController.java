package dev.sco.orchestrator.serverfailover;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.Inputs;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/servers/{name}/sites} and {@code /api/servers/{name}/jobs}: what a management server
 * runs, which a server failover moves to its standby. Writes as for the rest of the estate.
 */
@RestController
class ServerWorkController {

    private static final String[] WRITERS = {Groups.OPERATORS, Groups.DBA, Groups.ADMIN};

    private final ServerWorkService service;

    ServerWorkController(ServerWorkService service) {
        this.service = service;
    }

    @GetMapping("/api/servers/{name}/sites")
    ServerWork.Sites sites(@PathVariable String name) {
        return service.sites(Inputs.name("name", name));
    }

    @PutMapping("/api/servers/{name}/sites")
    ServerWork.Sites putSites(@PathVariable String name, @RequestBody ServerWorkRequests.SitesRequest body,
                              ApiUser user) {
        Access.requireAny(user, WRITERS);
        return service.putSites(Inputs.name("name", name), Inputs.required("body", body));
    }

    @GetMapping("/api/servers/{name}/jobs")
    ServerWork.Jobs jobs(@PathVariable String name) {
        return service.jobs(Inputs.name("name", name));
    }

    @PutMapping("/api/servers/{name}/jobs")
    ServerWork.Jobs putJobs(@PathVariable String name, @RequestBody ServerWorkRequests.JobsRequest body,
                            ApiUser user) {
        Access.requireAny(user, WRITERS);
        return service.putJobs(Inputs.name("name", name), Inputs.required("body", body));
    }
}
