package dev.sco.orchestrator.estate;

import java.time.Clock;
import java.util.List;

import dev.sco.orchestrator.platform.web.NotFound;
import dev.sco.orchestrator.platform.web.PutResult;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Hub pairs. Roles follow the start-up rule only: the first hub to send a heartbeat becomes
 * acting, the other one standby. Takeover when the acting hub is lost belongs to the standby
 * feature, which changes {@code acting_hub} the same way (one conditional UPDATE).
 */
@Service
class HubPairService {

    private final HubPairRepository hubs;
    private final Clock clock;

    HubPairService(HubPairRepository hubs, Clock clock) {
        this.hubs = hubs;
        this.clock = clock;
    }

    @Transactional
    PutResult<HubPair> put(String pair, HubPairRequest request) {
        request.validate();
        boolean created = hubs.upsert(pair, request, Sql.now(clock));
        return new PutResult<>(created, hubs.find(pair).orElseThrow());
    }

    /** One statement in auto-commit; the look-ups after it only explain a 404. */
    void heartbeat(String pair, String hub) {
        if (hubs.heartbeat(pair, hub, Sql.now(clock)).isEmpty()) {
            if (hubs.find(pair).isEmpty()) {
                throw new NotFound("pair", "No hub pair named " + pair);
            }
            throw new NotFound("hub", "Hub " + hub + " is not part of the pair " + pair);
        }
    }

    HubPair get(String pair) {
        return hubs.find(pair).orElseThrow(() -> new NotFound("pair", "No hub pair named " + pair));
    }

    List<HubPair> list() {
        return hubs.findAll();
    }
}
