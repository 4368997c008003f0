package dev.sco.orchestrator.serverfailover;


import java.time.Clock;
import java.time.Instant;
import java.util.List;

import dev.sco.orchestrator.estate.AgentReassignment;
import dev.sco.orchestrator.estate.Server;
import dev.sco.orchestrator.estate.ServerRepository;
import dev.sco.orchestrator.estate.ServerStatus;
import dev.sco.orchestrator.platform.rails.OperationSteps;
import dev.sco.orchestrator.platform.rails.StepRefusedException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The steps of a server failover (S2), testable without the engine. Every step is idempotent:
 * what moved is recorded per outage, and a re-run finds nothing left to move.
 */
@Service
class ServerFailoverService {

    /** Engine string variables hold at most 4,000 characters; the form lists names up to this length. */
    static final int MAX_LISTED_CHARS = 3_800;

    private static final Logger log = LoggerFactory.getLogger(ServerFailoverService.class);

    private final OutageRepository outages;
    private final ServerRepository servers;
    private final AgentReassignment agents;
    private final Clock clock;
    private final OperationSteps steps;
    private final ServerWorkRepository work;
    private final AssignmentRepository assignments;
    private final ChainRepository chains;

    ServerFailoverService(OutageRepository outages, ServerRepository servers, AgentReassignment agents, Clock clock,
                          OperationSteps steps, ServerWorkRepository work, AssignmentRepository assignments,
                          ChainRepository chains) {
        this.steps = steps;
        this.work = work;
        this.assignments = assignments;
        this.chains = chains;
        this.outages = outages;
        this.servers = servers;
        this.agents = agents;
        this.clock = clock;
    }

    /** The outage a process works on, and whether it has a standby. */
    record Prepared(long outageId, String standby) {
    }

    /**
     * For a failover started by hand (over the engine REST API, without an outage), records the
     * outage now and finds the server's standby; a detector start already has both.
     */
    @Transactional
    public Prepared prepare(String server, Long outageId, String standby, String processInstanceId) {
        if (outageId != null) {
            Outage outage = outages.find(outageId).orElse(null);
            if (outage == null || !outage.server().equals(server) || outage.endedAt() != null
                    || (outage.processInstanceId() != null && !outage.processInstanceId().equals(processInstanceId))) {
                throw new StepRefusedException("Outage " + outageId + " of " + server
                        + " is not open and waiting for a process; process " + processInstanceId + " may not work on it");
            }
            return new Prepared(outageId, outage.standby());
        }
        String refusal = handStartRefusal(server);
        if (refusal != null) {
            throw new StepRefusedException(refusal);
        }
        Server known = servers.find(server, now()).orElseThrow();
        long id = outages.openByHand(server, known.lastPingAt(), known.standby(), processInstanceId, now());
        log.info("Failover of {} started by hand: outage {}, standby {}", server, id, known.standby());
        return new Prepared(id, known.standby());
    }

    /**
     * Why a failover of this server may not be started by hand now; null when it may: the server
     * must be known, Down (it stopped reporting), and not already in an open outage.
     */
    String handStartRefusal(String server) {
        Server known = servers.find(server, now()).orElse(null);
        if (known == null) {
            return "No server named '" + server + "'";
        }
        if (known.status() != ServerStatus.DOWN) {
            return "Server '" + server + "' is " + known.status() + ": only a server that stopped reporting is failed over";
        }
        return outages.openOf(server).map(o -> "Server '" + server + "' already has an open outage " + o.id()
                + (o.processInstanceId() == null ? "" : " (process " + o.processInstanceId() + ")")).orElse(null);
    }

    /**
     * The rail in front of every step with a side effect: the outage is the one bound to this
     * process instance, it is still open, and the step is written to the step ledger (once).
     */
    @Transactional
    public long begin(DelegateExecution execution, boolean repeatable) {
        long outageId = check(execution);
        steps.record(execution.getProcessInstanceId(), execution.getCurrentActivityId(), "outage:" + outageId,
                OperationSteps.ORCHESTRATOR, null, repeatable);
        return outageId;
    }

    /**
     * The rail of a step that calls out: as {@link #begin}, but it only reads (the step has not
     * run yet, the outage is this process's and open), so nothing is locked while a receiver
     * answers; the step writes its ledger row with {@link #done} after the call.
     */
    @Transactional(readOnly = true)
    public long beginCallout(DelegateExecution execution) {
        if (steps.done(execution.getProcessInstanceId(), execution.getCurrentActivityId())) {
            throw new StepRefusedException("Step " + execution.getCurrentActivityId() + " of process "
                    + execution.getProcessInstanceId() + " has already run; a step with a side effect runs once");
        }
        return check(execution);
    }

    /** Writes the ledger row of a step begun with {@link #beginCallout}. */
    @Transactional
    public void done(DelegateExecution execution, long outageId) {
        steps.record(execution.getProcessInstanceId(), execution.getCurrentActivityId(), "outage:" + outageId,
                OperationSteps.ORCHESTRATOR, null, false);
    }

    private long check(DelegateExecution execution) {
        String pid = execution.getProcessInstanceId();
        Outage outage = outages.findByProcess(pid).orElseThrow(() -> new StepRefusedException(
                "Process " + pid + " has no outage of its own; its steps may not act"));
        Object variable = execution.getVariable(ServerFailoverProcess.VAR_OUTAGE_ID);
        if (!(variable instanceof Number n) || n.longValue() != outage.id()) {
            throw new StepRefusedException("Process " + pid + " works on outage " + outage.id() + ", not on " + variable);
        }
        if (outage.endedAt() != null) {
            throw new StepRefusedException("Outage " + outage.id() + " of " + outage.server() + " has ended ("
                    + outage.state() + ")");
        }
        return outage.id();
    }

    @Transactional
    public int moveSitesAndJobs(long outageId) {
        Outage outage = outage(outageId);
        work.lock();
        int sites = outages.moveSites(outageId, outage.server(), outage.standby(), now());
        int jobs = outages.moveJobs(outageId, outage.server(), outage.standby(), now());
        log.info("Failover of {} (outage {}): moved {} sites and {} jobs to {}; gathering jobs stay", outage.server(),
                outageId, sites, jobs, outage.standby());
        return sites + jobs;
    }

    /** Moves the automatically deployed agents; answers the hand-installed ones an operator must register. */
    @Transactional
    public AgentsResult reregisterAgents(long outageId) {
        Outage outage = outage(outageId);
        List<String> moved = agents.moveAutomaticAgents(outage.server(), outage.standby());
        outages.recordAgentMoves(outageId, moved, outage.server(), outage.standby());
        List<String> manual = agents.manualAgentsOf(outage.server());
        log.info("Failover of {} (outage {}): {} automatic agents registered with {}, {} manual agents for operators",
                outage.server(), outageId, moved.size(), outage.standby(), manual.size());
        return new AgentsResult(moved.size(), manual);
    }

    record AgentsResult(int automaticMoved, List<String> manual) {

        /** One name a line, cut to what an engine string variable holds (the count says how many there are). */
        String manualListing() {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < manual.size(); i++) {
                String line = manual.get(i) + "\n";
                if (text.length() + line.length() > MAX_LISTED_CHARS) {
                    text.append("... and ").append(manual.size() - i)
                            .append(" more (GET /api/agents: registration manual, managedBy the failed server)\n");
                    break;
                }
                text.append(line);
            }
            return text.toString().strip();
        }
    }

    /** The process now waits for the server to report again. */
    @Transactional
    public void awaitReturn(long outageId) {
        outages.awaitReturn(outageId);
    }

    /**
     * Moves back what this outage moved and is still on the standby, when the server is Up; a
     * server that went Down again keeps its work on the standby. True when it failed back.
     */
    @Transactional
    public boolean failBack(long outageId) {
        Outage outage = outage(outageId);
        if (outage.state().equals(Outage.FAILED_BACK)) {
            return true;
        }
        Server server = servers.find(outage.server(), now()).orElseThrow();
        if (server.status() != ServerStatus.UP) {
            log.warn("Failback of {} (outage {}) not done: the server is Down again", outage.server(), outageId);
            outages.setState(outageId, Outage.KEPT_ON_STANDBY);
            return false;
        }
        work.lock();
        int sitesAndJobs = outages.moveSitesAndJobsBack(outageId, now());
        List<String> back = agents.moveBack(outages.movedAgents(outageId), outage.standby(), outage.server());
        outages.markAgentsMovedBack(outageId, back);
        outages.setState(outageId, Outage.FAILED_BACK);
        log.info("Failback of {} (outage {}): {} sites and jobs and {} agents moved back from {}", outage.server(),
                outageId, sitesAndJobs, back.size(), outage.standby());
        return true;
    }

    /**
     * What to tell which server after this outage's failover (the standby: what moved to it) or
     * failback (the server: what moved back); null when a failback did not happen (the server was
     * Down again) and there is nothing to tell. Only the outage's own record of moves is read.
     */
    @Transactional(readOnly = true)
    public Assignment assignment(long outageId, String direction) {
        Outage outage = outage(outageId);
        boolean failback = Assignment.FAILBACK.equals(direction);
        if (failback && !Outage.FAILED_BACK.equals(outage.state())) {
            return null;
        }
        String to = failback ? outage.server() : outage.standby();
        String from = failback ? outage.standby() : outage.server();
        Server recipient = servers.find(to, now()).orElseThrow();
        return new Assignment(outageId, direction, to, from, recipient.assignmentUrl(), recipient.calloutAuth(),
                assignments.sites(outageId, failback), assignments.jobs(outageId, failback));
    }

    /** Records one telling of an assignment (outside the step's transaction: it stays when the step fails). */
    public void recordTelling(Assignment assignment, AssignmentCallouts.Result result) {
        assignments.record(assignment, result.outcome(), result.detail(), now());
    }

    List<AssignmentRepository.Callout> callouts(long outageId) {
        return assignments.callouts(outageId);
    }

    /**
     * The chains the failover of this outage's server may have cut: every agent chain and every
     * forwarding chain that lists the server, and reaches no live server now (Up, not failed over).
     */
    @Transactional(readOnly = true)
    public ChainCheck checkChains(long outageId) {
        Outage outage = outage(outageId);
        List<ChainRepository.BrokenChain> broken = chains.brokenChainsThrough(outage.server(), now());
        log.info("Failover of {} (outage {}): {} chains through it reach no live server", outage.server(), outageId,
                broken.size());
        return new ChainCheck(broken);
    }

    record ChainCheck(List<ChainRepository.BrokenChain> broken) {

        /** One chain a line, cut to what an engine string variable holds (the count says how many there are). */
        String listing() {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < broken.size(); i++) {
                String line = broken.get(i).line() + "\n";
                if (text.length() + line.length() > MAX_LISTED_CHARS) {
                    text.append("... and ").append(broken.size() - i)
                            .append(" more (GET /api/agents/{name}/chain, GET /api/servers/{name}/forwarding-chain)\n");
                    break;
                }
                text.append(line);
            }
            return text.toString().strip();
        }
    }

    /** The process ended: the outage is closed with its final state. */
    @Transactional
    public void close(long outageId, String state) {
        outages.end(outageId, state, now());
    }

    boolean isOutageOf(String server, long outageId) {
        return outages.find(outageId).map(o -> o.server().equals(server)).orElse(false);
    }

    List<Outage> outagesOf(String server, int limit) {
        return outages.ofServer(server, limit);
    }

    private Outage outage(long outageId) {
        return outages.find(outageId).orElseThrow(() -> new IllegalStateException("No outage " + outageId));
    }

    private Instant now() {
        return clock.instant();
    }
}
