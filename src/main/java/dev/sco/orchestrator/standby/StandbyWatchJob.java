package dev.sco.orchestrator.standby;

import java.time.Clock;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

/** Quartz sensor, every {@code ORCHESTRATOR_STANDBY_WATCH_INTERVAL}: one pass of the {@link StandbyWatch}. */
@DisallowConcurrentExecution
public class StandbyWatchJob implements Job {

    @Autowired
    private StandbyWatch watch;
    @Autowired
    private Clock clock;

    @Override
    public void execute(JobExecutionContext context) {
        watch.pass(clock.instant());
    }
}
