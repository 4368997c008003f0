package dev.sco.orchestrator.dbfailover;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

/** Quartz entry of the health probe sensor (one node at a time across the cluster). */
@DisallowConcurrentExecution
public class DatabaseHealthProbeJob implements Job {

    @Autowired
    private DatabaseHealthProbe probe;

    @Override
    public void execute(JobExecutionContext context) {
        probe.pass();
    }
}
