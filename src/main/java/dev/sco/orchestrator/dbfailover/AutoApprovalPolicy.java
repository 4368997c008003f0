package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.sco.orchestrator.platform.decision.DecisionRecorder;
import dev.sco.orchestrator.platform.decision.SensorDecision;
import org.springframework.stereotype.Component;

/**
 * The policy that may approve an unplanned failover without a DBA: it is switched on (a bound is
 * set), the failover is unplanned, its pre-flight passed (the preparation scripts ran on the
 * failover database, rolled back), and the data-loss window is known and under the bound. Without
 * the pre-flight an approved failover could fence the old primary and then fail on its scripts,
 * leaving no database taking writes. The database must also have a fencing method that needs no
 * answer from it ({@code agent} or {@code writers}): otherwise an unreachable primary would stop
 * the failover at the acknowledgement anyway (setting
 * {@code ORCHESTRATOR_FAILOVER_AUTO_APPROVE_SQL_FENCE_ONLY} relaxes this). Every evaluation is a
 * decision record naming each condition and whether it held
 * ({@code GET /api/decisions?sensor=failover-auto-approval}).
 */
@Component
class AutoApprovalPolicy {

    static final String SENSOR = "failover-auto-approval";
    /** The decision's action when the policy approved; a refusal is {@link SensorDecision#SKIPPED}. */
    static final String APPROVED = "approved";

    private final FailoverSettings settings;
    private final FailoverRepository repository;
    private final DecisionRecorder decisions;
    private final Clock clock;
    private final FencingMethodRepository fencingMethods;
    private final DrillRunRepository drills;

    AutoApprovalPolicy(FailoverSettings settings, FailoverRepository repository, DecisionRecorder decisions,
                       Clock clock, FencingMethodRepository fencingMethods, DrillRunRepository drills) {
        this.drills = drills;
        this.fencingMethods = fencingMethods;
        this.settings = settings;
        this.repository = repository;
        this.decisions = decisions;
        this.clock = clock;
    }

    /** Whether the policy approved, and each condition in words. */
    record Outcome(boolean approved, String reason) {
    }

    /**
     * Evaluates the policy for the operation after its pre-flight and records the decision (in the
     * caller's transaction, so it commits with the approval it explains).
     */
    Outcome decide(long operationId, boolean preFlightPassed) {
        ContinuityOperation op = repository.find(operationId)
                .orElseThrow(() -> new IllegalStateException("No continuity operation " + operationId));
        if (DatabaseFailoverProcess.MODE_DRILL.equals(op.mode()) && drills.scheduled(operationId)) {
            // A drill changes nothing; one its schedule asked for (the orchestrator's own record, not
            // a variable or a name a caller chose) runs unattended, whatever its pre-flight found:
            // a problem is what the drill is for, and it opens a review task.
            String reason = "approved by policy: scheduled drill (changes nothing)";
            decisions.record(new DecisionRecorder.Decision(SENSOR, op.database(), APPROVED, "failover " + op.id() + " "
                    + reason, clock.instant(), DatabaseFailoverProcess.businessKey(op.id()), op.processInstanceId()));
            return new Outcome(true, reason);
        }
        Duration bound = settings.autoApproveMaxDataLoss();
        List<String> conditions = new ArrayList<>();
        boolean enabled = condition(conditions, settings.autoApproveEnabled(), "policy on",
                settings.autoApproveEnabled() ? "bound " + FailoverService.humanDuration(bound)
                        : "ORCHESTRATOR_FAILOVER_AUTO_APPROVE_MAX_DATA_LOSS is 0");
        boolean unplanned = condition(conditions, DatabaseFailoverProcess.MODE_UNPLANNED.equals(op.mode()),
                "unplanned", "mode " + op.mode());
        boolean preFlight = condition(conditions, preFlightPassed, "pre-flight passed",
                preFlightPassed ? "preparation scripts ran on " + op.failoverDatabase() + " (rolled back)"
                        : "preparation scripts failed on " + op.failoverDatabase());
        Long windowMs = op.dataLossWindowMs();
        boolean known = condition(conditions, windowMs != null, "data-loss window known",
                windowMs == null ? "no successful sync recorded" : FailoverService.humanDuration(Duration.ofMillis(windowMs)));
        boolean under = condition(conditions, known && windowMs < bound.toMillis(), "window under the bound",
                known ? FailoverService.humanDuration(Duration.ofMillis(windowMs)) + " vs "
                        + FailoverService.humanDuration(bound) : "unknown");
        boolean agentless = !fencingMethods.hasMethodBesidesSql(op.database());
        boolean fenceWithoutDba = condition(conditions, !agentless || settings.autoApproveSqlFenceOnly(),
                "a fence that needs no DBA registered", !agentless ? "an agent or writers fencing method is registered"
                        : settings.autoApproveSqlFenceOnly()
                        ? "only the SQL fence; allowed by ORCHESTRATOR_FAILOVER_AUTO_APPROVE_SQL_FENCE_ONLY"
                        : "only the SQL fence, which needs the primary to answer: register an agent or writers method");
        boolean approved = enabled && unplanned && preFlight && known && under && fenceWithoutDba;
        String reason = (approved ? "approved by policy: " : "not approved by policy, a DBA decides: ")
                + String.join("; ", conditions);
        decisions.record(new DecisionRecorder.Decision(SENSOR, op.database(), approved ? APPROVED : SensorDecision.SKIPPED,
                "failover " + op.id() + " " + reason, clock.instant(), DatabaseFailoverProcess.businessKey(op.id()),
                op.processInstanceId()));
        return new Outcome(approved, reason);
    }

    private static boolean condition(List<String> conditions, boolean held, String name, String detail) {
        conditions.add(name + ": " + (held ? "yes" : "NO") + " (" + detail + ")");
        return held;
    }
}
