package dev.sco.orchestrator.dbfailover;

import java.time.Instant;
import java.util.List;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.web.Access;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/databases/{name}/jobs}: the application's scheduled jobs on a database, each with the
 * single statement that enables it and the one that disables it there. A PUT replaces the whole list
 * at once (all or nothing); see {@link DatabaseJobs} for the rules. Only DBAs and administrators
 * register them: the statements run on the database with the orchestrator's registered
 * credentials, so registering one is as trusted as registering the database itself.
 */
@RestController
class DatabaseJobController {

    private final DatabaseJobRepository repository;
    private final DatabaseJobs service;

    DatabaseJobController(DatabaseJobRepository repository, DatabaseJobs service) {
        this.repository = repository;
        this.service = service;
    }

    /** Body of the PUT. */
    record JobsRequest(List<DatabaseJobs.JobSpec> jobs) {
    }

    /** One job in an answer. */
    record Job(String name, String kind, String enableSql, String disableSql, String schedule, String scheduleZone,
               String expectedDuration, Boolean enabled, Instant changedAt, Instant updatedAt, String updatedBy) {

        static Job of(DatabaseJob j) {
            return new Job(j.name(), j.kind(), j.enableSql(), j.disableSql(), j.schedule(), j.scheduleZone(),
                    j.expectedDuration() == null ? null : j.expectedDuration().toString(), j.enabled(), j.changedAt(),
                    j.updatedAt(), j.updatedBy());
        }
    }

    record Jobs(String database, List<Job> jobs) {
    }

    @PutMapping("/api/databases/{name}/jobs")
    public Jobs put(@PathVariable String name, @RequestBody JobsRequest body, ApiUser user) {
        Access.requireAny(user, Groups.DBA, Groups.ADMIN);
        String database = Inputs.name("name", name);
        service.replace(database, Inputs.required("jobs", body == null ? null : body.jobs()), user.id());
        return get(database);
    }

    @GetMapping("/api/databases/{name}/jobs")
    public Jobs get(@PathVariable String name) {
        String database = Inputs.name("name", name);
        if (!repository.databaseExists(database)) {
            throw new NotFound("name", "No database named " + database);
        }
        return new Jobs(database, repository.jobs(database).stream().map(Job::of).toList());
    }

    /** What a failover's or restoration's switch of the database jobs did, statement by statement. */
    @GetMapping("/api/failovers/{id}/jobs")
    public List<DatabaseJobRepository.Result> results(@PathVariable long id) {
        return repository.results(id);
    }
}
