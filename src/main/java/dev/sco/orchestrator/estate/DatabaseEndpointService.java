package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.platform.target.DatabaseEndpoint;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.sco.orchestrator.platform.target.TargetRules;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.NotFound;
import dev.sco.orchestrator.platform.web.PutResult;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registration of target databases. Pairing is symmetric and exclusive: pairing A with B also
 * sets B's partner to A and releases A's previous partner; B must not already be paired with a
 * third database (unpair it first), so no pairing is ever broken as a side effect.
 */
@Service
class DatabaseEndpointService {

    private final DatabaseEndpointRepository repository;
    private final TargetRules rules;
    private final Clock clock;

    DatabaseEndpointService(DatabaseEndpointRepository repository, TargetRules rules, Clock clock) {
        this.repository = repository;
        this.rules = rules;
        this.clock = clock;
    }

    @Transactional
    PutResult<DatabaseEndpoint> put(String name, DatabaseEndpointRequest request) {
        request.validate(name, rules);
        repository.lockPairings();
        String partnerName = request.pairedWith();
        if (partnerName != null) {
            DatabaseEndpoint partner = repository.find(partnerName).orElseThrow(() -> new BadRequest("pairedWith",
                    "'pairedWith' names no registered database: " + partnerName));
            if (DatabaseRole.of(partner.role()) == request.role()) {
                throw new BadRequest("pairedWith", "'pairedWith' must name a " + request.role().other()
                        + " database, but " + partnerName + " is " + partner.role());
            }
            if (partner.pairedWith() != null && !partner.pairedWith().equals(name)) {
                throw new BadRequest("pairedWith", "'" + partnerName + "' is already paired with '"
                        + partner.pairedWith() + "'; unpair it first");
            }
        }
        Instant now = Sql.now(clock);
        boolean created = repository.upsert(name, request, now);
        repository.pairSymmetrically(name, partnerName, now);
        return new PutResult<>(created, repository.find(name).orElseThrow());
    }

    DatabaseEndpoint get(String name) {
        return repository.find(name).orElseThrow(() -> new NotFound("name", "No database named " + name));
    }

    List<DatabaseEndpoint> list() {
        return repository.findAll();
    }

    /** The acting roles the database has had, oldest first (the last {@code limit}). */
    List<DatabaseEndpointRepository.RoleChange> roles(String name, int limit) {
        get(name);
        return repository.roleHistory(name, limit);
    }
}
