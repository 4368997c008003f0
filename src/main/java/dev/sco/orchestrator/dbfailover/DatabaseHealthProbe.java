package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.sco.orchestrator.platform.decision.DecisionRecorder;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import dev.sco.orchestrator.platform.target.DatabaseEndpoint;
import dev.sco.orchestrator.platform.target.ProbeResult;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.springframework.stereotype.Component;

/**
 * The health probe sensor: probes every primary that has a failover partner; a primary that fails
 * {@code probeFailures} probes in a row gets an unplanned failover (one per outage: a running
 * failover of the same database is never doubled). The count lives in the orchestrator database,
 * so it carries over when the sensor moves to another node.
 * <p>
 * Decisions are recorded whenever a probe fails and when a primary recovers; a healthy primary's
 * routine passes are not recorded one by one.
 */
@Component
class DatabaseHealthProbe {

    static final String SENSOR = "database-health-probe";
    static final String REQUESTED_BY = "health-probe";

    private final TargetDatabases targets;
    private final FailoverRepository repository;
    private final FailoverRequests requests;
    private final DecisionRecorder decisions;
    private final FailoverSettings settings;
    private final Clock clock;

    DatabaseHealthProbe(TargetDatabases targets, FailoverRepository repository, FailoverRequests requests,
                        DecisionRecorder decisions, FailoverSettings settings, Clock clock) {
        this.targets = targets;
        this.repository = repository;
        this.requests = requests;
        this.decisions = decisions;
        this.settings = settings;
        this.clock = clock;
    }

    /** One pass over every primary with a partner; returns the decisions it recorded. */
    List<DecisionRecorder.Decision> pass() {
        List<DecisionRecorder.Decision> made = new ArrayList<>();
        for (DatabaseEndpoint endpoint : targets.endpoints()) {
            if (!"primary".equals(endpoint.role()) || endpoint.pairedWith() == null) {
                continue;
            }
            probe(endpoint.name(), made);
        }
        decisions.recordAll(made);
        return made;
    }

    private void probe(String database, List<DecisionRecorder.Decision> made) {
        Instant now = clock.instant();
        ProbeResult probe = targets.probe(database, settings.probeTimeout());
        int previousFailures = repository.probeFailures(database);
        int failures = repository.recordProbe(database, probe.reachable(), probe.error(), now);
        if (probe.reachable()) {
            if (previousFailures > 0) {
                made.add(decision(database, SensorDecision.SKIPPED, "reachable again after " + previousFailures
                        + " failed probes", now, null, null));
            }
            return;
        }
        if (failures < settings.probeFailures()) {
            made.add(decision(database, SensorDecision.SKIPPED, "unreachable (" + failures + " of "
                    + settings.probeFailures() + " failed probes): " + probe.error(), now, null, null));
            return;
        }
        FailoverRequests.Outcome outcome = requests.request(database, DatabaseFailoverProcess.MODE_UNPLANNED,
                "primary unreachable for " + failures + " consecutive probes: " + probe.error(), null, REQUESTED_BY);
        if (outcome.refusal() instanceof FailoverRequests.AlreadyRunning running) {
            made.add(decision(database, SensorDecision.SKIPPED, "unreachable, failover already running (operation "
                    + running.running().id() + ")", now, null, running.running().processInstanceId()));
        } else if (outcome.refusal() != null) {
            made.add(decision(database, SensorDecision.FAILED, "unreachable, but no failover possible: "
                    + outcome.refusal(), now, null, null));
        } else {
            ContinuityOperation op = outcome.operation();
            made.add(decision(database, SensorDecision.STARTED, "unreachable for " + failures
                    + " consecutive probes: unplanned failover " + op.id(), now,
                    DatabaseFailoverProcess.businessKey(op.id()), op.processInstanceId()));
        }
    }

    private static DecisionRecorder.Decision decision(String database, String action, String reason, Instant at,
                                                      String businessKey, String processInstanceId) {
        return new DecisionRecorder.Decision(SENSOR, database, action, reason, at, businessKey, processInstanceId);
    }
}
