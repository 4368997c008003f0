package dev.sco.orchestrator.sync;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Sensor of one pair's schedule. Not {@code @DisallowConcurrentExecution}: that would serialise
 * every pair; the is-running flag keeps runs of one pair apart across nodes.
 */
public class SyncRunJob implements Job {

    @Autowired
    private SyncService service;

    @Override
    public void execute(JobExecutionContext context) {
        service.runScheduled(context.getMergedJobDataMap().getString(SyncSchedule.DATABASE));
    }
}
