package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.sco.orchestrator.pause.Pauses;
import dev.sco.orchestrator.pause.TargetKind;
import dev.sco.orchestrator.platform.decision.DecisionRecorder;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import dev.sco.orchestrator.platform.target.DatabaseEndpoint;
import dev.sco.orchestrator.platform.target.ProbeClassification;
import dev.sco.orchestrator.platform.target.ProbeResult;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The health probe sensor: probes every primary that has a failover partner; a primary that fails
 * {@code probeFailures} probes in a row gets an unplanned failover (one per outage: a running
 * failover of the same database is never doubled). The count lives in the orchestrator database,
 * so it carries over when the sensor moves to another node.
 * <p>
 * It reads the acting roles ({@link DatabaseRoles}), not the registered ones: only a registered
 * primary that still acts as primary is probed toward a failover. After a completed failover the
 * old primary is {@code failed} (or {@code restoring}) and is probed for its return only; its
 * return is a decision record and a hint to start a restoration, never an automatic action (an
 * old primary that answers again holds none of the writes made since, so switching back is a
 * DBA's decision). Without this the dead primary would get a second failover as soon as the first
 * one ended, and every few seconds after.
 * <p>
 * Only an UNREACHABLE probe counts toward the failover; a REFUSED one (a running server turned the
 * probe away: too many clients, authentication, ...) never does (see {@link ProbeClassification}).
 * Failover partners are probed too, for the {@code targets} health group only.
 * <p>
 * Decisions are recorded whenever a probe fails unreachable, when a refusal starts or changes, and
 * when a primary recovers; a healthy primary's routine passes are not recorded one by one.
 * <p>
 * A primary held by a maintenance pause ({@link Pauses}: a pause of the primary or of its failover
 * database, or the pending review after a pause that ended unhealthy) is still probed, so health
 * and the end-of-pause review know how it is, but its probes do not count toward a failover (the
 * count stays at zero, so when the hold ends the count starts afresh) and every pass records the
 * decision {@code paused}.
 */
@Component
class DatabaseHealthProbe {

    static final String SENSOR = "database-health-probe";
    static final String REQUESTED_BY = "health-probe";
    /** Number of primaries whose last probe was refused; above zero, a human has something to fix. */
    static final String REFUSED_GAUGE = "orchestrator.database.probe.refused";

    private static final Logger log = LoggerFactory.getLogger(DatabaseHealthProbe.class);

    private final TargetDatabases targets;
    private final FailoverRepository repository;
    private final FailoverRequests requests;
    private final DecisionRecorder decisions;
    private final FailoverSettings settings;
    private final Clock clock;
    private final DatabaseRoles roles;
    private final Pauses pauses;

    DatabaseHealthProbe(TargetDatabases targets, FailoverRepository repository, FailoverRequests requests,
                        DecisionRecorder decisions, FailoverSettings settings, Clock clock, MeterRegistry meters,
                        DatabaseRoles roles, Pauses pauses) {
        this.roles = roles;
        this.pauses = pauses;
        this.targets = targets;
        this.repository = repository;
        this.requests = requests;
        this.decisions = decisions;
        this.settings = settings;
        this.clock = clock;
        // Read from the shared probe state at scrape time, so every node reports the same value
        // whichever node runs the sensor.
        Gauge.builder(REFUSED_GAUGE, repository, FailoverRepository::refusedProbes)
                .description("Primaries whose last health probe was refused by a running server (no failover)")
                .register(meters);
    }

    /** One pass over every primary with a partner; returns the decisions it recorded. */
    List<DecisionRecorder.Decision> pass() {
        List<DecisionRecorder.Decision> made = new ArrayList<>();
        Map<String, Pauses.Hold> held = pauses.held(TargetKind.DATABASE);
        for (DatabaseEndpoint endpoint : targets.endpoints()) {
            if (!"primary".equals(endpoint.role()) || endpoint.pairedWith() == null) {
                continue;
            }
            Pauses.Hold hold = held.get(endpoint.name());
            Pauses.Hold partnerHold = held.get(endpoint.pairedWith());
            if (DatabaseRoles.PRIMARY.equals(endpoint.actingRole()) && (hold != null || partnerHold != null)) {
                paused(endpoint.name(), hold != null ? hold.describe()
                        : "failover database " + endpoint.pairedWith() + " is held: " + partnerHold.describe(), made);
            } else if (DatabaseRoles.PRIMARY.equals(endpoint.actingRole())) {
                probe(endpoint.name(), made);
            } else {
                watchReturn(endpoint.name(), made);
            }
            // A partner that is itself a paired primary has its own counted probe above.
            if (targets.find(endpoint.pairedWith()).filter(partner -> !"primary".equals(partner.role())).isPresent()) {
                probePartner(endpoint.pairedWith());
            }
        }
        decisions.recordAll(made);
        return made;
    }

    private void probe(String database, List<DecisionRecorder.Decision> made) {
        Instant now = clock.instant();
        ProbeResult probe = targets.probe(database, settings.probeTimeout());
        Optional<FailoverRepository.ProbeState> previous = repository.probeState(database);
        int previousFailures = previous.map(FailoverRepository.ProbeState::consecutiveFailures).orElse(0);
        int failures = repository.recordProbe(database, probe.classification(), probe.error(),
                probe.latency().toMillis(), now);
        if (probe.classification() == ProbeClassification.REFUSED) {
            refused(database, probe, previous, now, made);
            return;
        }
        if (probe.reachable()) {
            boolean wasRefused = previous.map(p -> p.classification() == ProbeClassification.REFUSED).orElse(false);
            if (previousFailures > 0 || wasRefused) {
                made.add(decision(database, SensorDecision.SKIPPED, "reachable again after "
                        + (wasRefused ? "refused probes" : previousFailures + " failed probes"), now, null, null));
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

    /**
     * A held primary: probed and recorded without counting toward a failover (the count is reset),
     * and the decision {@code paused} with what the probe saw (one record while that stays the same).
     */
    private void paused(String database, String why, List<DecisionRecorder.Decision> made) {
        Instant now = clock.instant();
        ProbeResult probe = targets.probe(database, settings.probeTimeout());
        repository.recordPartnerProbe(database, probe.classification(), probe.error(), probe.latency().toMillis(), now);
        made.add(decision(database, SensorDecision.PAUSED, why + "; last probe " + probe.classification().code(), now,
                null, null));
    }

    /**
     * The server answered but turned the probe away (too many clients, authentication, missing
     * database, ...). Failing over would not cure that and may lose data, so no failover: the
     * decision says why, the log warns, and the gauge {@value #REFUSED_GAUGE} shows it until a
     * probe gets through. Recorded once per change of the error, not at every probe interval.
     */
    private void refused(String database, ProbeResult probe, Optional<FailoverRepository.ProbeState> previous,
                         Instant now, List<DecisionRecorder.Decision> made) {
        boolean same = previous.map(p -> p.classification() == ProbeClassification.REFUSED
                && Objects.equals(p.lastError(), probe.error())).orElse(false);
        if (same) {
            return;
        }
        log.warn("Health probe of primary '{}' was refused by a running server; no failover (a human must look): {}",
                database, probe.error());
        made.add(decision(database, SensorDecision.SKIPPED, "refused, not unreachable: the server answered, so no "
                + "failover; fix the cause (connection slots, credentials, database): " + probe.error(), now, null, null));
    }

    /**
     * A failed or restoring primary: probed so health shows it and so its return is noticed, never
     * counted toward a failover. A decision is recorded when what the probe sees changes within the
     * role period (first probe after the failover, back, gone again), not at every pass.
     */
    private void watchReturn(String database, List<DecisionRecorder.Decision> made) {
        Instant now = clock.instant();
        ProbeResult probe = targets.probe(database, settings.probeTimeout());
        repository.recordPartnerProbe(database, probe.classification(), probe.error(), probe.latency().toMillis(), now);
        DatabaseRoles.Acting role = roles.of(database).orElse(null);
        if (role == null || !repository.recordReturnReport(database, probe.classification(), role.since())) {
            return;
        }
        String since = role.role() + " since " + role.since() + " (" + role.reason() + ")";
        if (probe.reachable()) {
            made.add(decision(database, SensorDecision.SKIPPED, DatabaseRoles.RESTORING.equals(role.role())
                    ? "primary " + database + " answers; it is " + since + ", the restoration brings the consumers back"
                    : "primary " + database + " answers again; start a restoration once it is repaired "
                    + "(POST /api/restorations): it is " + since + " and holds none of the writes made since",
                    now, null, null));
        } else {
            made.add(decision(database, SensorDecision.SKIPPED, "primary " + database + " is " + since
                    + "; probed for its return only, never failed over again: " + probe.classification().code() + ": "
                    + probe.error(), now, null, null));
        }
    }

    /** Probes a failover partner so the targets health group shows it; never counts toward a failover. */
    private void probePartner(String database) {
        ProbeResult probe = targets.probe(database, settings.probeTimeout());
        repository.recordPartnerProbe(database, probe.classification(), probe.error(), probe.latency().toMillis(),
                clock.instant());
    }

    private static DecisionRecorder.Decision decision(String database, String action, String reason, Instant at,
                                                      String businessKey, String processInstanceId) {
        return new DecisionRecorder.Decision(SENSOR, database, action, reason, at, businessKey, processInstanceId);
    }
}
