package dev.sco.orchestrator.dbfailover;

import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.springframework.beans.factory.annotation.Autowired;

/** Quartz entry of a drill schedule: one fire starts one drill of the trigger's database. */
public class DrillScheduleJob implements Job {

    @Autowired
    private DrillSchedule schedule;

    @Override
    public void execute(JobExecutionContext context) {
        schedule.fire(context.getMergedJobDataMap().getString(DrillSchedule.DATABASE));
    }
}
