package dev.sco.orchestrator.platform.decision;

import java.time.Clock;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Daily purge of sensor decisions past {@code ORCHESTRATOR_DECISION_RETENTION}. Quartz creates the
 * job with its no-argument constructor and then injects fields, as for the other sensors.
 */
@DisallowConcurrentExecution
public class DecisionRetentionJob implements Job {

    private static final Logger log = LoggerFactory.getLogger(DecisionRetentionJob.class);

    @Autowired
    private DecisionRecorder decisions;
    @Autowired
    private DecisionSettings settings;
    @Autowired
    private Clock clock;

    @Override
    public void execute(JobExecutionContext context) {
        int removed = decisions.purgeBefore(clock.instant().minus(settings.retention()));
        if (removed > 0) {
            log.info("Removed {} sensor decisions older than {}", removed, settings.retention());
        }
    }
}
