package dev.sco.orchestrator.standby;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.pause.Pauses;
import dev.sco.orchestrator.pause.TargetKind;
import dev.sco.orchestrator.platform.decision.DecisionRecorder;
import dev.sco.orchestrator.platform.decision.DecisionRecorder.Decision;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The standby watch (sensor): for every pair, keeps the standby's information base in step with
 * the acting hub's and, when the acting hub is lost while the standby is alive, promotes the
 * standby and starts {@code hubTakeoverProcess}. Each pair is decided in its own transaction,
 * together with its decision record, so one pair's trouble does not hold up the others.
 * <p>
 * A pair held by a maintenance pause (or the pending review after a pause that ended with its
 * acting hub lost) is neither copied nor promoted; the only thing the watch still does is note a
 * lost standby as needing a resynchronisation (which makes a later takeover more careful, never
 * less), and it records the decision {@code paused}.
 */
@Component
public class StandbyWatch {

    static final String SENSOR = "hub-standby-watch";

    private static final Logger log = LoggerFactory.getLogger(StandbyWatch.class);

    private final StandbyRepository repository;
    private final HubTakeoverProcesses processes;
    private final DecisionRecorder decisions;
    private final TransactionTemplate transaction;
    private final Pauses pauses;

    StandbyWatch(StandbyRepository repository, HubTakeoverProcesses processes, DecisionRecorder decisions,
                 PlatformTransactionManager transactionManager, Pauses pauses) {
        this.pauses = pauses;
        this.repository = repository;
        this.processes = processes;
        this.decisions = decisions;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** One pass over every pair; returns what was decided for each. */
    public List<Decision> pass(Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        List<Decision> decided = new ArrayList<>();
        Map<String, Pauses.Hold> held = pauses.held(TargetKind.HUB_PAIR);
        for (PairState pair : repository.pairs()) {
            try {
                decided.add(transaction.execute(tx -> {
                    Pauses.Hold hold = held.get(pair.name());
                    Decision decision = hold != null ? paused(pair, hold, now) : decide(pair, now);
                    decisions.record(decision);
                    return decision;
                }));
            } catch (RuntimeException e) {
                log.error("Standby watch failed on hub pair {}", pair.name(), e);
                Decision failed = new Decision(SENSOR, pair.name(), SensorDecision.FAILED, e.toString(), now, null, null);
                decisions.record(failed);
                decided.add(failed);
            }
        }
        return decided;
    }

    private Decision decide(PairState pair, Instant now) {
        String acting = pair.acting();
        String standby = pair.standby();
        if (acting == null) {
            return skipped(pair, "no hub has sent a heartbeat yet", now);
        }
        if (pair.alive(acting, now)) {
            if (!pair.alive(standby, now)) {
                repository.markUnsynced(pair.name(), acting);
                return skipped(pair, "acting hub " + acting + " is alive; standby " + standby + " is not ("
                        + heard(pair, standby) + ") and resynchronises when it returns", now);
            }
            int changed = repository.copyDefinitions(pair.name(), acting, standby, now);
            repository.markSynced(pair.name(), acting, now, changed > 0);
            if (changed > 0 || pair.standbySyncedAt() == null) {
                log.info("Hub pair {}: standby {} synchronised from acting hub {} ({} definitions changed)",
                        pair.name(), standby, acting, changed);
            }
            return skipped(pair, "acting hub " + acting + " is alive; standby " + standby + " in step ("
                    + changed + " definitions copied)", now);
        }
        if (!pair.alive(standby, now)) {
            return skipped(pair, "acting hub " + acting + " and standby " + standby
                    + " are both lost: no hub to promote", now);
        }
        if (!repository.promote(pair.name(), acting, standby, now)) {
            return skipped(pair, "acting hub " + acting + " looked lost, but the pair changed meanwhile "
                    + "(a heartbeat or another pass)", now);
        }
        boolean synced = pair.standbySyncedAt() != null;
        String key = HubTakeoverProcess.businessKey(pair.name(), now);
        String processInstanceId = processes.start(key, pair.name(), standby, acting, now, synced);
        repository.insertTakeover(new StandbyRepository.Takeover(key, pair.name(), acting, standby, now, synced,
                processInstanceId));
        log.warn("Hub pair {}: acting hub {} lost ({}); standby {} promoted to acting, takeover {}", pair.name(),
                acting, heard(pair, acting), standby, processInstanceId);
        return new Decision(SENSOR, pair.name(), SensorDecision.STARTED, "acting hub " + acting + " lost ("
                + heard(pair, acting) + "); standby " + standby + " promoted"
                + (synced ? "" : " before it had finished resynchronising"), now, key, processInstanceId);
    }

    private Decision paused(PairState pair, Pauses.Hold hold, Instant now) {
        String acting = pair.acting();
        String standby = pair.standby();
        String state;
        if (acting == null) {
            state = "no hub has sent a heartbeat yet";
        } else {
            if (!pair.alive(standby, now)) {
                repository.markUnsynced(pair.name(), acting);
            }
            state = "acting hub " + acting + (pair.alive(acting, now) ? " alive" : " lost") + ", standby " + standby
                    + (pair.alive(standby, now) ? " alive" : " lost");
        }
        return new Decision(SENSOR, pair.name(), SensorDecision.PAUSED, hold.describe() + "; " + state, now, null,
                null);
    }

    private static String heard(PairState pair, String hub) {
        Instant last = pair.lastHeartbeat(hub);
        return last == null ? "never heard from" : "last heartbeat " + last + ", timeout "
                + pair.timeout().toSeconds() + " s";
    }

    private static Decision skipped(PairState pair, String reason, Instant now) {
        return new Decision(SENSOR, pair.name(), SensorDecision.SKIPPED, reason, now, null, null);
    }
}
