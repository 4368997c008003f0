package dev.sco.orchestrator.standby;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sco.orchestrator.platform.web.Conflict;
import dev.sco.orchestrator.platform.web.NotFound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The hot standby rules behind the API and the takeover steps, testable without the engine. */
@Service
public class StandbyService {

    private static final Logger log = LoggerFactory.getLogger(StandbyService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StandbyRepository repository;
    private final HubEventWebhook webhook;
    private final Clock clock;

    StandbyService(StandbyRepository repository, HubEventWebhook webhook, Clock clock) {
        this.repository = repository;
        this.webhook = webhook;
        this.clock = clock;
    }

    /** Status of the pair's standby, as {@code GET /api/hubs/{pair}/standby} shows it. */
    record StandbyStatus(String pair, String primary, String secondary, String acting, String standby,
                         boolean actingAlive, boolean standbyAlive, String standbyState, Instant standbySyncedAt,
                         int heartbeatTimeoutSeconds, List<StandbyRepository.Takeover> takeovers) {
    }

    ConnectAnswer connect(String pair, String via) {
        PairState state = pair(pair);
        if (via != null && !state.contains(via)) {
            throw new NotFound("via", "Hub " + via + " is not part of the pair " + pair);
        }
        return ConnectAnswer.of(state, via, now());
    }

    StandbyStatus status(String pair) {
        PairState state = pair(pair);
        Instant now = now();
        return new StandbyStatus(state.name(), state.primary(), state.secondary(), state.acting(), state.standby(),
                state.alive(state.acting(), now), state.alive(state.standby(), now), state.standbyState(now),
                state.standbySyncedAt(), (int) state.timeout().toSeconds(), repository.takeovers(pair));
    }

    /**
     * A definition of the acting hub's information base. The standby's copy is the watch's job:
     * writing to the standby directly would be overwritten at the next pass, so it is refused.
     */
    @Transactional
    StandbyRepository.Definition putDefinition(String pair, String hub, String name, String kind, String definition) {
        PairState state = member(pair, hub);
        if (!hub.equals(state.acting())) {
            throw new Conflict("hub", state.acting() == null
                    ? "No hub of the pair " + pair + " is acting yet"
                    : "Hub " + hub + " is the standby of " + pair + "; definitions change on the acting hub "
                    + state.acting());
        }
        return repository.putDefinition(pair, hub, name, kind, definition, now());
    }

    List<StandbyRepository.Definition> definitions(String pair, String hub) {
        member(pair, hub);
        return repository.definitions(pair, hub);
    }

    @Transactional
    boolean putPolicy(String pair, String name, String state, int step) {
        pair(pair);
        return repository.putPolicy(pair, name, state, step, now());
    }

    List<StandbyRepository.Policy> policies(String pair) {
        pair(pair);
        return repository.policies(pair);
    }

    List<StandbyRepository.Situation> situations(String pair) {
        pair(pair);
        return repository.situations(pair);
    }

    @Transactional
    void situationEvaluated(String pair, String name) {
        pair(pair);
        if (!repository.situationEvaluated(pair, name, now())) {
            throw new NotFound("name", "No situation " + name + " is recorded for the pair " + pair);
        }
    }

    List<StandbyRepository.Event> events(String pair, int limit) {
        pair(pair);
        return repository.events(pair, limit);
    }

    /**
     * Takeover step 1: the master reset event, once per process instance. The hub named as new
     * acting must be acting: a process started by hand for a hub that was never promoted fails
     * here into an incident.
     */
    @Transactional
    public StandbyRepository.Event emitMasterReset(String processInstanceId, String pair, String newActing,
                                                   String previous, String takeoverKey) {
        PairState state = pair(pair);
        if (!newActing.equals(state.acting())) {
            throw new IllegalStateException("Hub " + newActing + " is not the acting hub of " + pair + " (acting: "
                    + state.acting() + "); the standby watch promotes hubs");
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", "MASTER_RESET");
        payload.put("previousActingHub", previous);
        return emit(processInstanceId, pair, newActing, takeoverKey, HubTakeoverProcess.EVENT_MASTER_RESET, payload);
    }

    /** The portal task has waited too long; once per process instance. */
    @Transactional
    public StandbyRepository.Event emitPortalReminder(String processInstanceId, String pair, String newActing,
                                                      String takeoverKey) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", "PORTAL_RECONFIGURATION_PENDING");
        return emit(processInstanceId, pair, newActing, takeoverKey, HubTakeoverProcess.EVENT_PORTAL_REMINDER,
                payload);
    }

    /**
     * Writes the event to the sink (once per process instance and kind), then offers it to the
     * webhook after the step's transaction has committed, unless an earlier try of the step
     * already delivered it.
     */
    private StandbyRepository.Event emit(String processInstanceId, String pair, String hub, String takeoverKey,
                                         String kind, Map<String, Object> details) {
        Instant now = now();
        Map<String, Object> payload = new LinkedHashMap<>(details);
        payload.put("pair", pair);
        payload.put("actingHub", hub);
        payload.put("takeover", takeoverKey);
        payload.put("emittedAt", now.toString());
        payload.put("idempotencyKey", processInstanceId + "/" + kind);
        StandbyRepository.Event event = repository.insertEvent(pair, kind, hub, json(payload), now,
                processInstanceId, HubEventWebhook.PENDING);
        if (!HubEventWebhook.PENDING.equals(event.webhookStatus()) && !HubEventWebhook.FAILED.equals(event.webhookStatus())) {
            return event;
        }
        String status;
        if (webhook.configured()) {
            // Delivered after this step's transaction commits, never inside it (see HubEventWebhook).
            webhook.deliverAfterCommit(event.payload(), processInstanceId + "/" + kind,
                    delivery -> repository.webhookResult(event.id(), delivery.status(), delivery.detail()));
            status = HubEventWebhook.PENDING;
        } else {
            repository.webhookResult(event.id(), HubEventWebhook.NOT_CONFIGURED, null);
            status = HubEventWebhook.NOT_CONFIGURED;
        }
        log.info("Hub pair {}: {} event {} for acting hub {} (webhook: {})", pair, kind, event.id(), hub, status);
        return new StandbyRepository.Event(event.id(), event.pair(), event.kind(), event.hub(), event.payload(),
                event.emittedAt(), event.processInstanceId(), status, null);
    }

    /** Takeover step 2: every situation of the new acting hub is evaluated again. */
    @Transactional
    public int reevaluateSituations(String pair, String newActing, String takeoverKey) {
        int marked = repository.requestReevaluation(pair, newActing, takeoverKey, now());
        log.info("Hub pair {}: {} situations marked for re-evaluation on {}", pair, marked, newActing);
        return marked;
    }

    /** Takeover step 3: running workflow policies start again from their beginning. */
    @Transactional
    public int restartPolicies(String pair, String takeoverKey) {
        int restarted = repository.restartPolicies(pair, takeoverKey, now());
        log.info("Hub pair {}: {} running workflow policies restarted from their beginning", pair, restarted);
        return restarted;
    }

    private PairState pair(String pair) {
        return repository.pair(pair).orElseThrow(() -> new NotFound("pair", "No hub pair named " + pair));
    }

    private PairState member(String pair, String hub) {
        PairState state = pair(pair);
        if (!state.contains(hub)) {
            throw new NotFound("hub", "Hub " + hub + " is not part of the pair " + pair);
        }
        return state;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String json(Map<String, Object> payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
