package dev.sco.orchestrator.dbfailover;

import java.util.List;

import dev.sco.orchestrator.platform.longstep.LongStepWorker;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;

/** Drives a process's jobs in the test thread (the job executor is off in tests). */
final class ProcessJobs {

    private final ProcessEngine engine;
    private final LongStepWorker longSteps;

    ProcessJobs(ProcessEngine engine) {
        this(engine, null);
    }

    /** Also works the due long steps (external tasks) when no job is left, as a node's worker would. */
    ProcessJobs(ProcessEngine engine, LongStepWorker longSteps) {
        this.engine = engine;
        this.longSteps = longSteps;
    }

    /** Executes the instance's due jobs, in order, until it waits for a person or ends. */
    void run(ProcessInstance instance) {
        runUntil(instance, null);
    }

    /** As {@link #run}, but stops before executing the job of {@code activity}. */
    void runUntil(ProcessInstance instance, String activity) {
        ManagementService management = engine.getManagementService();
        for (int i = 0; i < 50; i++) {
            List<Job> jobs = management.createJobQuery().processInstanceId(instance.getId()).executable().list();
            if (jobs.isEmpty()) {
                if (longSteps != null && longSteps.runDue() > 0) {
                    continue;
                }
                return;
            }
            Job job = jobs.get(0);
            if (activity != null && engine.getRuntimeService().createExecutionQuery().executionId(job.getExecutionId())
                    .activityId(activity).count() > 0) {
                return;
            }
            management.executeJob(job.getId());
        }
        throw new AssertionError("process did not settle after 50 jobs");
    }
}
