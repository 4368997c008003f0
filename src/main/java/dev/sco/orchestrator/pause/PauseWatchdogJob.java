package dev.sco.orchestrator.pause;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

/** Quartz entry of the {@link PauseWatchdog} (one node at a time across the cluster). */
@DisallowConcurrentExecution
public class PauseWatchdogJob implements Job {

    @Autowired
    private PauseWatchdog watchdog;

    @Override
    public void execute(JobExecutionContext context) {
        watchdog.pass();
    }
}
