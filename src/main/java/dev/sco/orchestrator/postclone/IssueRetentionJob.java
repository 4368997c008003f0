package dev.sco.orchestrator.postclone;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

/** Daily sensor: purges agent issues past their retention (see {@link PostCloneSettings.Retention}). */
@DisallowConcurrentExecution
public class IssueRetentionJob implements Job {

    @Autowired
    private PostCloneService service;

    @Override
    public void execute(JobExecutionContext context) {
        service.purge();
    }
}
