package dev.sco.orchestrator.postclone;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The post-clone rules (S1), testable without a running process. */
@Service
public class PostCloneService {

    private static final Logger log = LoggerFactory.getLogger(PostCloneService.class);

    private final PostCloneRepository repository;
    private final PostCloneProcesses processes;
    private final PostCloneSettings settings;
    private final Clock clock;

    PostCloneService(PostCloneRepository repository, PostCloneProcesses processes, PostCloneSettings settings,
                     Clock clock) {
        this.repository = repository;
        this.processes = processes;
        this.settings = settings;
        this.clock = clock;
    }

    /** Outcome of a clone report: the process that checks it, and whether this report created it. */
    public record CloneReport(String cloneId, String processInstanceId, boolean created) {
    }

    public record CheckDates(Date firstCheckAt, Date secondCheckAt) {
    }

    /**
     * Registers the clone and starts its check process, once per clone id: a duplicate report,
     * also a concurrent one, gets the process of the first.
     */
    @Transactional
    public CloneReport reportClone(String cloneId, String instance, Instant completedAt, String reportedBy) {
        boolean created = repository.insertClone(cloneId, instance, completedAt, clock.instant(), reportedBy);
        if (!created) {
            PostCloneRepository.Clone known = repository.findClone(cloneId).orElseThrow();
            return new CloneReport(cloneId, known.processInstanceId(), false);
        }
        String processInstanceId = processes.startCheck(cloneId, instance, Date.from(completedAt), reportedBy);
        repository.setCloneProcess(cloneId, processInstanceId);
        log.info("Clone {} of instance {} (completed {}) reported by {}: post-clone check {}", cloneId, instance,
                completedAt, reportedBy, processInstanceId);
        return new CloneReport(cloneId, processInstanceId, true);
    }

    public boolean instanceKnown(String instance) {
        return repository.instanceKnown(instance);
    }

    public CheckDates checkDates(Instant completedAt) {
        return new CheckDates(Date.from(completedAt.plus(settings.firstCheckAfter())),
                Date.from(completedAt.plus(settings.secondCheckAfter())));
    }

    /**
     * Records which agents served the instance before the clone. Also registers a clone that was
     * started directly over the engine REST API rather than through {@code POST /api/clones}.
     */
    @Transactional
    public int captureSnapshot(String cloneId, String instance, Instant completedAt, String processInstanceId) {
        if (repository.insertClone(cloneId, instance, completedAt, clock.instant(), "engine-rest")) {
            repository.setCloneProcess(cloneId, processInstanceId);
        }
        int size = repository.captureSnapshot(cloneId, instance, completedAt);
        log.info("Clone {}: {} agents of {} existed before the clone and will be checked", cloneId, size, instance);
        return size;
    }

    /**
     * Check {@code n}: every pre-clone agent that is Down gets an open issue (or its open issue is
     * updated), then each new issue gets its operator task. Running the same check twice changes nothing.
     */
    @Transactional
    public int runCheck(String cloneId, int checkNumber) {
        Instant now = clock.instant();
        if (!repository.claimCheck(cloneId, checkNumber, now)) {
            log.info("Clone {}: check {} already ran, nothing to do", cloneId, checkNumber);
            return -1;
        }
        int down = repository.recordDownAgents(cloneId, checkNumber, now);
        List<PostCloneRepository.NewIssue> fresh = repository.issuesWithoutOperatorProcess(cloneId);
        for (PostCloneRepository.NewIssue issue : fresh) {
            repository.setOperatorProcess(issue.id(), processes.startIssue(issue));
        }
        log.info("Clone {}: check {} found {} pre-clone agents down, {} new issues", cloneId, checkNumber, down,
                fresh.size());
        return down;
    }

    /**
     * The status rule: an agent that moves from Down to Up resolves all its unresolved clone
     * issues and their operator tasks, in the caller's transaction.
     */
    @Transactional
    public List<Long> agentCameUp(String agent) {
        List<Long> resolved = repository.resolveCloneIssues(agent, clock.instant());
        resolved.forEach(processes::issueResolved);
        if (!resolved.isEmpty()) {
            log.info("Agent {} is up again: resolved clone issues {}", agent, resolved);
        }
        return resolved;
    }

    /** Operator says the credentials are fixed: true when the agent is Up (its issues are then resolved). */
    @Transactional
    public boolean recheck(long issueId) {
        AgentIssue issue = repository.findIssue(issueId).orElse(null);
        if (issue == null || AgentIssue.RESOLVED.equals(issue.state())) {
            return true;
        }
        boolean up = repository.agentStatus(issue.agent()).map("Up"::equals).orElse(false);
        if (up) {
            repository.resolveCloneIssues(issue.agent(), clock.instant());
        }
        return up;
    }

    @Transactional
    public void recordNote(long issueId, String note) {
        repository.recordNote(issueId, note);
    }

    public List<AgentIssue> issuesOfAgent(String agent) {
        return repository.issuesOfAgent(agent);
    }

    public List<AgentIssue> issues(String state, String source, int limit) {
        return repository.issues(state, source, limit);
    }

    public boolean agentExists(String agent) {
        return repository.agentExists(agent);
    }

    /** Retention: removes issues past the configured age and ends the tasks of open ones. */
    @Transactional
    public int purge() {
        Instant now = clock.instant();
        PostCloneSettings.Retention retention = settings.retention();
        Instant cutoff = now.minus(retention.age());
        List<String> removed = repository.purge(retention.policyValue(), cutoff);
        removed.stream().filter(id -> id != null).forEach(processes::issueRemoved);
        repository.recordPurge(now, retention.policyValue().label(), cutoff, removed.size());
        log.info("Agent issue retention ({}, older than {}): removed {} issues", retention.policyValue().label(),
                Duration.between(cutoff, now), removed.size());
        return removed.size();
    }
}
