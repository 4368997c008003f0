package dev.sco.orchestrator.serverfailover;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.estate.Server;
import dev.sco.orchestrator.estate.ServerKind;
import dev.sco.orchestrator.estate.ServerRepository;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Conflict;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registration of the sites and jobs of management servers. A PUT replaces the server's whole
 * list at once (all or nothing); an item of another server is refused rather than taken from it,
 * and nothing changes while a failover works on the server's work.
 */
@Service
class ServerWorkService {

    private final ServerWorkRepository work;
    private final ServerRepository servers;
    private final Clock clock;

    ServerWorkService(ServerWorkRepository work, ServerRepository servers, Clock clock) {
        this.work = work;
        this.servers = servers;
        this.clock = clock;
    }

    ServerWork.Sites sites(String server) {
        known(server);
        return new ServerWork.Sites(server, work.sites(server));
    }

    ServerWork.Jobs jobs(String server) {
        known(server);
        return new ServerWork.Jobs(server, work.jobs(server));
    }

    @Transactional
    ServerWork.Sites putSites(String server, ServerWorkRequests.SitesRequest request) {
        List<String> names = request.validate();
        writable(server);
        Map<String, String> managers = work.siteManagers(names);
        for (int i = 0; i < names.size(); i++) {
            String manager = managers.get(names.get(i));
            if (manager != null && !manager.equals(server)) {
                throw new Conflict("sites[" + i + "]", "site " + names.get(i) + " is managed by " + manager
                        + "; remove it there first");
            }
        }
        Map<String, String> orphaned = work.jobsOfDroppedSites(server, names);
        if (!orphaned.isEmpty()) {
            throw new Conflict("sites", "sites left out still have jobs (job → site): " + orphaned
                    + "; change those jobs first");
        }
        work.replaceSites(server, names, clock.instant());
        return new ServerWork.Sites(server, work.sites(server));
    }

    @Transactional
    ServerWork.Jobs putJobs(String server, ServerWorkRequests.JobsRequest request) {
        List<ServerWorkRequests.JobRequest> jobs = request.validate();
        writable(server);
        Map<String, String> managers = work.jobManagers(jobs.stream().map(ServerWorkRequests.JobRequest::name).toList());
        List<String> sites = jobs.stream().map(ServerWorkRequests.JobRequest::site)
                .filter(java.util.Objects::nonNull).distinct().toList();
        List<String> unknown = sites.isEmpty() ? List.of() : work.unknownSites(sites);
        for (int i = 0; i < jobs.size(); i++) {
            ServerWorkRequests.JobRequest job = jobs.get(i);
            String manager = managers.get(job.name());
            if (manager != null && !manager.equals(server)) {
                throw new Conflict("jobs[" + i + "].name", "job " + job.name() + " is managed by " + manager
                        + "; remove it there first");
            }
            if (job.site() != null && unknown.contains(job.site())) {
                throw new BadRequest("jobs[" + i + "].site", "'jobs[" + i + "].site' names no registered site: "
                        + job.site());
            }
        }
        work.replaceJobs(server, jobs, clock.instant());
        return new ServerWork.Jobs(server, work.jobs(server));
    }

    private Server known(String server) {
        return servers.find(server, clock.instant())
                .orElseThrow(() -> new NotFound("name", "No server named " + server));
    }

    private void writable(String server) {
        Server known = known(server);
        if (known.kind() != ServerKind.MANAGEMENT) {
            throw new BadRequest("name", "server " + server + " is a " + known.kind()
                    + " server; only management servers run sites and jobs");
        }
        work.lock();
        String busy = work.failoverInProgress(server);
        if (busy != null) {
            throw new Conflict("name", busy + "; change its sites and jobs after the failover has ended");
        }
    }
}
