package dev.sco.orchestrator.estate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import dev.sco.orchestrator.platform.web.ApiExceptionHandler;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import dev.sco.orchestrator.platform.web.PayloadTooLarge;
import org.springframework.stereotype.Service;

/**
 * Heartbeat ingestion. A batch is validated as a whole first (nothing is written if one entry is
 * bad) and then written in a single statement, so ingestion costs one round trip per batch.
 * Both paths are single statements and run in auto-commit: no transaction round trips.
 */
@Service
class HeartbeatService {

    static final int MAX_BATCH = 10_000;
    /** Senders' clocks may run a little ahead; a time further in the future is a bad clock. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final ServerRepository servers;
    private final Clock clock;

    HeartbeatService(ServerRepository servers, Clock clock) {
        this.servers = servers;
        this.clock = clock;
    }

    void beat(String server) {
        if (!servers.ping(server, Sql.now(clock))) {
            throw new NotFound("name", "No server named " + server);
        }
    }

    HeartbeatBatchResult beatAll(List<HeartbeatRequest> batch) {
        Instant now = Sql.now(clock);
        Batch checked = check(batch, now);
        if (checked.names().length == 0) {
            return new HeartbeatBatchResult(0, List.of());
        }
        List<String> unknown = servers.pingAll(checked.names(), checked.times());
        Set<String> unknownSet = Set.copyOf(unknown);
        int accepted = 0;
        for (String name : checked.names()) {
            if (!unknownSet.contains(name)) {
                accepted++;
            }
        }
        return new HeartbeatBatchResult(accepted, unknown);
    }

    /** Pure validation of a batch; fills in missing times with {@code now}. */
    static Batch check(List<HeartbeatRequest> batch, Instant now) {
        Inputs.required(ApiExceptionHandler.BODY, batch);
        if (batch.size() > MAX_BATCH) {
            throw new PayloadTooLarge(ApiExceptionHandler.BODY,
                    "A batch holds at most " + MAX_BATCH + " heartbeats; split it");
        }
        Instant latest = now.plus(MAX_CLOCK_SKEW);
        String[] names = new String[batch.size()];
        String[] times = new String[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            HeartbeatRequest beat = Inputs.required("[" + i + "]", batch.get(i));
            names[i] = Inputs.name("[" + i + "].server", beat.server());
            Instant at = beat.at() == null ? now : beat.at().toInstant().truncatedTo(ChronoUnit.MICROS);
            if (at.isAfter(latest)) {
                throw new BadRequest("[" + i + "].at", "'[" + i + "].at' is more than " + MAX_CLOCK_SKEW.toMinutes()
                        + " minutes in the future: check the sender's clock");
            }
            times[i] = at.toString();
        }
        return new Batch(names, times);
    }

    record Batch(String[] names, String[] times) {
    }
}
