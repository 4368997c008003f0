package dev.sco.orchestrator.audit;

import java.util.Date;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.spring.boot.starter.event.PostDeployEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Makes a changed {@code ORCHESTRATOR_AUDIT_CYCLE} take effect at the next start. The engine
 * computes a timer start event's next firing when the model is deployed, and an unchanged model is
 * not deployed again; so after deployment the pending audit timer is recomputed from the current
 * setting (with {@code reevaluateTimeCycleWhenDue} the firings after it follow the setting too).
 * A timer that is already due is left alone, so an audit missed while the service was down still runs.
 */
@Component
class AuditTimerAlignment {

    private static final Logger log = LoggerFactory.getLogger(AuditTimerAlignment.class);

    private final ManagementService management;

    AuditTimerAlignment(ManagementService management) {
        this.management = management;
    }

    @EventListener(PostDeployEvent.class)
    void processesDeployed() {
        align();
    }

    /** Returns how many pending audit timers were recomputed. */
    int align() {
        Date now = ClockUtil.getCurrentTime();
        int aligned = 0;
        for (Job job : management.createJobQuery().processDefinitionKey(ContinuityAuditProcess.KEY).timers().list()) {
            boolean startTimer = job.getProcessInstanceId() == null;
            if (startTimer && job.getDuedate() != null && job.getDuedate().after(now)) {
                management.recalculateJobDuedate(job.getId(), false);
                aligned++;
            }
        }
        log.info("Continuity audit timer aligned with the configured cycle ({} pending timer(s))", aligned);
        return aligned;
    }
}
