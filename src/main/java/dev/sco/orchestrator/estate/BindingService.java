package dev.sco.orchestrator.estate;

import java.time.Clock;
import java.util.List;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import dev.sco.orchestrator.platform.web.PutResult;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Consumer bindings: a consumer must be a registered server, the database a registered endpoint. */
@Service
class BindingService {

    private final BindingRepository bindings;
    private final ServerRepository servers;
    private final DatabaseEndpointRepository databases;
    private final Clock clock;

    BindingService(BindingRepository bindings, ServerRepository servers, DatabaseEndpointRepository databases,
            Clock clock) {
        this.bindings = bindings;
        this.servers = servers;
        this.databases = databases;
        this.clock = clock;
    }

    @Transactional
    PutResult<Binding> put(String consumer, BindingRequest request) {
        request.validate();
        if (!servers.exists(consumer)) {
            throw new NotFound("consumer", "No server named " + consumer);
        }
        if (databases.find(request.database()).isEmpty()) {
            throw new BadRequest("database", "'database' names no registered database: " + request.database());
        }
        boolean created = bindings.upsert(consumer, request.database(), Sql.now(clock));
        return new PutResult<>(created, bindings.find(consumer).orElseThrow());
    }

    Binding get(String consumer) {
        return bindings.find(consumer).orElseThrow(() -> new NotFound("consumer",
                servers.exists(consumer) ? "Server " + consumer + " is bound to no database"
                        : "No server named " + consumer));
    }

    List<Binding> list(String database) {
        return database == null ? bindings.findAll() : bindings.findByDatabase(Inputs.name("database", database));
    }
}
