package dev.sco.orchestrator.estate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

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

    ServerService(ServerRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Transactional
    PutResult<Server> put(String name, ServerRequest request) {
        request.validate(name);
        if (request.standby() != null && !repository.exists(request.standby())) {
            throw new BadRequest("standby", "'standby' names no registered server: " + request.standby());
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
