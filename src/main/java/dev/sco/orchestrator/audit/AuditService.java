package dev.sco.orchestrator.audit;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** Keeps the record of continuity plan reviews. */
@Service
class AuditService {

    private static final Logger log = LoggerFactory.getLogger(AuditService.class);

    private final ContinuityAuditRepository repository;

    AuditService(ContinuityAuditRepository repository) {
        this.repository = repository;
    }

    /**
     * Records the answers of a review. A retried step finds them stored already and keeps the
     * first record, so the outcome always follows what was stored.
     */
    AuditAnswers record(AuditAnswers answers) {
        if (repository.insertOnce(answers)) {
            log.info("Continuity audit {} recorded by {}: {}", answers.processInstanceId(), answers.reviewedBy(),
                    answers.allChecksPassed() ? "all checks passed" : "failed " + answers.failedChecks());
            return answers;
        }
        return repository.findByProcessInstance(answers.processInstanceId()).orElseThrow();
    }

    Optional<AuditAnswers> find(String processInstanceId) {
        return repository.findByProcessInstance(processInstanceId);
    }
}
