package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.platform.target.ProbeResult;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The fence of a failover's old primary through the methods registered for it ({@link FencingMethod}),
 * tried in order until one confirms, each attempt written with its evidence as it happens
 * ({@code fence_attempt}); and the undo of the method that fenced, when a restoration brings the
 * consumers back.
 * <p>
 * The {@code writers} method cannot confirm at fence time: its confirmation is the consumers'
 * answer to the reconnect callout. When no other method confirmed, and the writers can confirm at
 * all (they are declared the only writers, at least one is bound, every one has a reconnect
 * address), the fence is left pending: the failover prepares the failover database and repoints,
 * the reconnect step collects the confirmations ({@link #confirmWriters}), and nothing is verified
 * or promoted to acting primary before every writer confirmed or a DBA acknowledged.
 */
@Component
class FencingMethods {

    static final String FENCE = "fence";
    static final String UNFENCE = "unfence";

    private static final Logger log = LoggerFactory.getLogger(FencingMethods.class);

    private final FencingMethodRepository methods;
    private final FailoverRepository failovers;
    private final Fencing sqlFence;
    private final FencingAgents agents;
    private final TargetDatabases targets;
    private final FailoverSettings settings;
    private final Clock clock;

    FencingMethods(FencingMethodRepository methods, FailoverRepository failovers, Fencing sqlFence,
                   FencingAgents agents, TargetDatabases targets, FailoverSettings settings, Clock clock) {
        this.methods = methods;
        this.failovers = failovers;
        this.sqlFence = sqlFence;
        this.agents = agents;
        this.targets = targets;
        this.settings = settings;
        this.clock = clock;
    }

    /** The fence's outcome: fenced (by which method), or not, and whether the writers decide later. */
    record Result(boolean fenced, String fencedBy, boolean writersPending, String detail) {
    }

    /**
     * Tries the old primary's methods in order. Meant to run outside any transaction (agents are
     * called over HTTP): every attempt is written on its own as it ends, so the evidence stays
     * even when the step fails afterwards.
     */
    Result fence(ContinuityOperation op) {
        String database = op.database();
        List<String> details = new ArrayList<>();
        boolean writersPending = false;
        for (FencingMethod method : methods.effectiveMethods(database)) {
            String outcome;
            String detail;
            String agentMethod = null;
            String evidence = null;
            switch (method.kind()) {
                case FencingMethod.SQL -> {
                    ProbeResult probe = targets.probe(database, settings.probeTimeout());
                    if (!probe.reachable()) {
                        outcome = "not-fenced";
                        detail = "unreachable: " + probe.error();
                    } else {
                        Fencing.Outcome fenced;
                        try {
                            fenced = sqlFence.fence(op.id(), database, settings.probeTimeout());
                        } catch (RuntimeException e) {
                            fenced = new Fencing.Outcome(false, "fence failed: " + e.getMessage());
                        }
                        outcome = fenced.fenced() ? "fenced" : "not-fenced";
                        detail = fenced.detail();
                    }
                }
                case FencingMethod.AGENT -> {
                    FencingAgents.Answer answer = agents.call(FENCE, op.id(), op.kind(), database, method.url(),
                            method.username(), method.passwordEnv(), method.timeout());
                    outcome = answer.confirmed() ? "fenced" : "not-fenced";
                    detail = answer.detail();
                    agentMethod = answer.method();
                    evidence = answer.evidence();
                }
                case FencingMethod.WRITERS -> {
                    String problem = writersProblem(database);
                    outcome = problem == null ? "pending" : "not-fenced";
                    detail = problem == null ? "every consumer bound to " + database + " ("
                            + String.join(", ", failovers.consumersOf(database)) + ") must confirm, when told to "
                            + "reconnect after the repoint, that it dropped its connections to " + database
                            : "cannot confirm: " + problem;
                    writersPending |= problem == null;
                }
                default -> throw new IllegalStateException("Unknown fencing method " + method.kind());
            }
            methods.recordAttempt(op.id(), database, FENCE, method, outcome, detail, agentMethod, evidence,
                    clock.instant());
            details.add(method.label() + ": " + detail + (evidence == null ? "" : " [evidence: "
                    + FencingAgents.truncate(evidence, 500) + "]"));
            if ("fenced".equals(outcome)) {
                Result result = new Result(true, method.kind(), false, String.join("; ", details));
                log.warn("Failover {}: old primary {} fenced by {} ({})", op.id(), database, method.label(),
                        result.detail());
                return result;
            }
        }
        String summary = (writersPending ? "not fenced yet, the writers decide after the reconnect: "
                : "not fenced: ") + String.join("; ", details);
        log.warn("Failover {}: old primary {} {}", op.id(), database, summary);
        return new Result(false, null, writersPending, summary);
    }

    /** Why the writers of {@code database} cannot confirm a fence, or null when they can. */
    private String writersProblem(String database) {
        List<String> consumers = failovers.consumersOf(database);
        if (consumers.isEmpty()) {
            return "no consumer is bound to " + database;
        }
        List<String> reachable = failovers.reconnectCallouts(consumers).stream()
                .map(FailoverRepository.Callout::consumer).toList();
        List<String> missing = consumers.stream().filter(c -> !reachable.contains(c)).toList();
        return missing.isEmpty() ? null : "consumers " + String.join(", ", missing)
                + " have no reconnect address, so they cannot confirm";
    }

    /**
     * The writers' verdict from the reconnect callouts' answers: every consumer now bound to the new
     * primary must have confirmed. Recorded as an attempt of the {@code writers} method and on the
     * operation; returns the result (not fenced names who did not confirm and why).
     */
    Result confirmWriters(ContinuityOperation op, List<String> expected, List<ReconnectCallouts.Reply> replies) {
        Map<String, ReconnectCallouts.Reply> byConsumer = new LinkedHashMap<>();
        replies.forEach(r -> byConsumer.put(r.consumer(), r));
        List<String> missing = new ArrayList<>();
        for (String consumer : expected) {
            ReconnectCallouts.Reply reply = byConsumer.get(consumer);
            if (reply == null) {
                missing.add(consumer + " (no reconnect address)");
            } else if (!reply.confirmed()) {
                missing.add(consumer + " (" + reply.detail() + ")");
            }
        }
        boolean confirmed = !expected.isEmpty() && missing.isEmpty();
        String detail = confirmed
                ? "writers: every consumer (" + String.join(", ", expected) + ") confirmed it dropped its connections to "
                        + op.from() + " and writes to " + op.to()
                : "not fenced: writers did not confirm: " + (expected.isEmpty() ? "no consumer is bound to " + op.to()
                        : String.join("; ", missing));
        FencingMethod writers = methods.methods(op.database()).stream()
                .filter(m -> FencingMethod.WRITERS.equals(m.kind())).findFirst()
                .orElse(new FencingMethod(0, FencingMethod.WRITERS, null, null, null, null, true, null, null));
        methods.recordAttempt(op.id(), op.database(), FENCE, writers, confirmed ? "fenced" : "not-fenced", detail,
                null, null, clock.instant());
        methods.recordWriters(op.id(), confirmed, detail);
        log.warn("Failover {}: old primary {} {}", op.id(), op.database(), detail);
        return new Result(confirmed, confirmed ? FencingMethod.WRITERS : null, false, detail);
    }

    /**
     * The undo of the method that fenced {@code database} for operation {@code fenceOperationId},
     * by operation {@code byOperationId}: an agent is asked to unfence (it must confirm, or this
     * throws and the step fails into the engine's retries: the database stays cut off until the
     * agent lifts it); the writers method has nothing to undo (the restoration repoints the
     * consumers). The SQL fence is lifted by {@link Fencing#unfence}, as before. Meant to run
     * outside any transaction; each attempt is recorded.
     */
    void unfenceByMethod(long fenceOperationId, long byOperationId, String operationKind, String database) {
        var confirming = methods.confirmingAttempt(fenceOperationId, database).orElse(null);
        if (confirming == null || FencingMethod.SQL.equals(confirming.kind())) {
            return;
        }
        if (methods.unfenced(byOperationId, database, confirming.kind())) {
            return; // the copy back lifted it already (it writes to the primary first)
        }
        FencingMethod method = new FencingMethod(confirming.position() == null ? 0 : confirming.position(),
                confirming.kind(), confirming.url(), confirming.username(), confirming.passwordEnv(),
                confirming.timeout(), null, confirming.attemptedAt(), null);
        if (FencingMethod.WRITERS.equals(confirming.kind())) {
            methods.recordAttempt(byOperationId, database, UNFENCE, method, "unfenced",
                    "writers: nothing to undo; the restoration repoints the consumers to " + database, null, null,
                    clock.instant());
            return;
        }
        FencingAgents.Answer answer = agents.call(UNFENCE, byOperationId, operationKind, database, confirming.url(),
                confirming.username(), confirming.passwordEnv(), confirming.timeout());
        methods.recordAttempt(byOperationId, database, UNFENCE, method, answer.confirmed() ? "unfenced" : "failed",
                answer.detail() + " (fenced by operation " + fenceOperationId + ")", answer.method(),
                answer.evidence(), clock.instant());
        if (!answer.confirmed()) {
            throw new IllegalStateException("The fence that operation " + fenceOperationId + " put on " + database
                    + " is not lifted: " + answer.detail());
        }
        log.info("Operation {}: {} unfenced by {} ({})", byOperationId, database, method.label(), answer.detail());
    }

    /** Records the SQL unfence as an attempt too, so the ledger of attempts tells the whole story. */
    void recordSqlUnfence(long byOperationId, String database, String detail) {
        methods.recordAttempt(byOperationId, database, UNFENCE, FencingMethod.defaultSql(), "unfenced", detail, null,
                null, clock.instant());
    }
}
