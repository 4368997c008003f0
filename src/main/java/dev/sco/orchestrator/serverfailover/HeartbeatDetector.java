package dev.sco.orchestrator.serverfailover;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.pause.Pauses;
import dev.sco.orchestrator.pause.TargetKind;
import dev.sco.orchestrator.platform.decision.DecisionRecorder;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The heartbeat failure detector (S2). A pass has two parts.
 * <ol>
 * <li>Decide, in one transaction and a fixed number of statements whatever the fleet's size:
 * find the servers that went Down and have no failover for this outage, decide for each (grace,
 * an earlier failover still open, cool-down), claim the outages to act on (the unique outage key
 * lets only one of several concurrent passes claim an outage), close the sessions of every Down
 * server (acted on or not: within one pass of it going Down), record the decisions, and tell the processes of failed-over servers that report again.</li>
 * <li>Start one failover process per claimed outage, in transactions of {@link #START_BATCH}, so a
 * mass outage is a series of bounded transactions rather than one huge one. Outages another node
 * is starting are skipped; a claimed outage whose start was lost (node died) is started by the
 * next pass.</li>
 * </ol>
 * The detector decides and starts; the process does the moving.
 * <p>
 * A server held by a maintenance pause (of itself or of its standby, or the pending review after
 * a pause that ended unhealthy; one statement per pass) is not acted on: its outage is not
 * claimed, its sessions are not closed, and the decision is {@code paused}.
 */
@Service
class HeartbeatDetector {

    static final String SENSOR = "heartbeat-detector";
    static final int START_BATCH = 100;

    private static final Logger log = LoggerFactory.getLogger(HeartbeatDetector.class);

    private final OutageRepository outages;
    private final ServerFailoverProcesses processes;
    private final DecisionRecorder decisions;
    private final ServerFailoverSettings settings;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final Pauses pauses;

    HeartbeatDetector(OutageRepository outages, ServerFailoverProcesses processes, DecisionRecorder decisions,
                      ServerFailoverSettings settings, PlatformTransactionManager transactionManager, Clock clock,
                      Pauses pauses) {
        this.pauses = pauses;
        this.outages = outages;
        this.processes = processes;
        this.decisions = decisions;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    /** What one pass did. */
    record Pass(int down, int claimed, int started, int backOnline) {
    }

    Pass pass() {
        return pass(clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    Pass pass(Instant now) {
        Decided decided = transaction.execute(status -> decide(now));
        int started = 0;
        int batch;
        do {
            batch = transaction.execute(status -> startClaimed(now));
            started += batch;
        } while (batch == START_BATCH);
        Pass pass = new Pass(decided.down(), decided.claimed(), started, decided.backOnline());
        if (pass.down() > 0 || pass.started() > 0 || pass.backOnline() > 0) {
            log.info("Heartbeat detector at {}: {} servers down without failover, {} outages claimed, {} failovers "
                    + "started, {} back online", now, pass.down(), pass.claimed(), pass.started(), pass.backOnline());
        }
        return pass;
    }

    private record Decided(int down, int claimed, int backOnline) {
    }

    private Decided decide(Instant now) {
        List<DownServer> down = outages.downWithoutFailover(now);
        Map<String, Pauses.Hold> held = pauses.held(TargetKind.SERVER);
        List<DecisionRecorder.Decision> recorded = new ArrayList<>();
        Map<String, DownServer> act = new LinkedHashMap<>();
        for (DownServer server : down) {
            DetectorRules.Decision decision = DetectorRules.decide(server, now, settings.grace(), settings.cooldown(),
                    heldBecause(server, held));
            if (decision.verdict() == DetectorRules.Verdict.ACT) {
                act.put(server.server(), server);
            } else {
                recorded.add(new DecisionRecorder.Decision(SENSOR, server.server(),
                        decision.verdict() == DetectorRules.Verdict.PAUSED ? SensorDecision.PAUSED
                                : SensorDecision.SKIPPED,
                        decision.reason(), now, server.businessKey(), null));
            }
        }
        Map<String, Long> claimed = outages.claim(act.values(), now);
        for (DownServer server : act.values()) {
            if (!claimed.containsKey(server.server())) {
                recorded.add(new DecisionRecorder.Decision(SENSOR, server.server(), SensorDecision.SKIPPED,
                        "Down since " + server.outageStart() + "; a concurrent detector pass acted on this outage",
                        now, server.businessKey(), null));
            }
        }
        Map<String, Integer> closed = outages.closeSessionsOfDownServers(now, held.keySet());
        if (!closed.isEmpty()) {
            log.info("Heartbeat detector at {}: closed the open sessions of Down servers {}", now, closed);
        }
        outages.sessionsClosed(claimed.values());
        int backOnline = 0;
        for (Outage outage : outages.markBackOnline(now)) {
            boolean correlated = processes.backOnline(outage);
            backOnline += correlated ? 1 : 0;
            recorded.add(new DecisionRecorder.Decision(SENSOR, outage.server(),
                    correlated ? SensorDecision.CORRELATED : SensorDecision.FAILED,
                    correlated ? "Reporting again after the failover of the outage since " + outage.outageStart()
                            + ": operators decide about failing back"
                            : "Reporting again, but failover process " + outage.processInstanceId()
                            + " no longer waits for it",
                    now, ServerFailoverProcess.businessKey(outage.server(), outage.outageStart()),
                    outage.processInstanceId()));
        }
        decisions.recordAll(recorded);
        return new Decided(down.size(), claimed.size(), backOnline);
    }

    /** Why a Down server is left alone: it or its standby is held by a maintenance pause; null when not. */
    private static String heldBecause(DownServer server, Map<String, Pauses.Hold> held) {
        Pauses.Hold own = held.get(server.server());
        if (own != null) {
            return own.describe();
        }
        Pauses.Hold standby = server.standby() == null ? null : held.get(server.standby());
        return standby == null ? null : "standby " + server.standby() + " is held: " + standby.describe();
    }

    private int startClaimed(Instant now) {
        List<Outage> claimed = outages.lockUnstarted(START_BATCH);
        Map<Long, String> started = new LinkedHashMap<>();
        List<DecisionRecorder.Decision> recorded = new ArrayList<>();
        for (Outage outage : claimed) {
            String processInstanceId = processes.start(outage);
            started.put(outage.id(), processInstanceId);
            String plan = outage.standby() == null ? "no standby: operators are told, nothing moves"
                    : "failing over to " + outage.standby();
            recorded.add(new DecisionRecorder.Decision(SENSOR, outage.server(), SensorDecision.STARTED,
                    "Down since " + outage.outageStart() + " (last heartbeat " + outage.lastPingAt() + "); " + plan
                            + "; closed " + outage.sessionsClosed() + " open sessions",
                    now, ServerFailoverProcess.businessKey(outage.server(), outage.outageStart()), processInstanceId));
        }
        outages.started(started);
        decisions.recordAll(recorded);
        return claimed.size();
    }
}
