package dev.sco.orchestrator.estate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.sco.orchestrator.platform.http.CalloutSecrets;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.NotFound;
import dev.sco.orchestrator.platform.web.PutResult;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Registration of servers; their status is derived from the last ping at the injected clock's now. */
@Service
class ServerService {

    private final ServerRepository repository;
    private final Clock clock;
    private final CalloutSecrets secrets;

    ServerService(ServerRepository repository, Clock clock, CalloutSecrets secrets) {
        this.repository = repository;
        this.clock = clock;
        this.secrets = secrets;
    }

    @Transactional
    PutResult<Server> put(String name, ServerRequest request) {
        request.validate(name);
        if (request.standby() != null && !repository.exists(request.standby())) {
            throw new BadRequest("standby", "'standby' names no registered server: " + request.standby());
        }
        if (request.calloutAuth() != null) {
            String env = request.calloutAuth().passwordEnv();
            String problem = secrets.problem(env);
            if (problem != null) {
                throw new BadRequest("calloutAuth.passwordEnv", problem);
            }
            if (repository.isDatabasePasswordEnv(env)) {
                throw new BadRequest("calloutAuth.passwordEnv", "'calloutAuth.passwordEnv' is the password variable "
                        + "of a registered database; give the callouts a variable of their own");
            }
        }
        Instant now = Sql.now(clock);
        boolean created = repository.upsert(name, request, now);
        return new PutResult<>(created, repository.find(name, now).orElseThrow());
    }

    Server get(String name) {
        return repository.find(name, Sql.now(clock))
                .orElseThrow(() -> new NotFound("name", "No server named " + name));
    }

    List<Server> list() {
        return repository.findAll(Sql.now(clock));
    }
}
