package dev.sco.orchestrator.serverfailover;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

/** The heartbeat failure detector's schedule (see {@link HeartbeatDetector}); one pass at a time in the cluster. */
@DisallowConcurrentExecution
public class ServerHeartbeatDetectorJob implements Job {

    @Autowired
    private HeartbeatDetector detector;

    @Override
    public void execute(JobExecutionContext context) {
        detector.pass();
    }
}
