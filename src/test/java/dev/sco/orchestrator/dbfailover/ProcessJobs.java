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

    /** Also works the due long steps (external tasks) when no job is left, as a node's worker would. */
    ProcessJobs(ProcessEngine engine, LongStepWorker longSteps) {
        this.engine = engine;
        this.longSteps = longSteps;
    }

    /** The poll timers of the verification loops: consumers reconnect in their own time. */
    private static final List<String> POLL_TIMERS = List.of("Timer_ConsumersPoll", "Timer_ConsumersPollAgain");

    /**
     * Executes the instance's due jobs, in order, until it waits for a person or ends. A
     * verification's poll timer is fired early, after a short pause in which consumers (threads of
     * the test, reconnecting by themselves) get real time; the round ends by itself when its
     * timeout has passed on the application clock, as in production.
     */
    void run(ProcessInstance instance) {
        runUntil(instance, null);
    }

    /** As {@link #run}, but stops before executing the job of {@code activity}. */
    void runUntil(ProcessInstance instance, String activity) {
        ManagementService management = engine.getManagementService();
        for (int i = 0; i < 500; i++) {
            List<Job> jobs = management.createJobQuery().processInstanceId(instance.getId()).executable().list();
            if (jobs.isEmpty()) {
                if (longSteps != null && longSteps.runDue() > 0) {
                    continue;
                }
                Job poll = pollTimer(instance);
                if (poll == null) {
                    return;
                }
                jobs = List.of(poll);
                pace();
            }
            Job job = jobs.get(0);
            if (activity != null && engine.getRuntimeService().createExecutionQuery().executionId(job.getExecutionId())
                    .activityId(activity).count() > 0) {
                return;
            }
            management.executeJob(job.getId());
        }
        throw new AssertionError("process did not settle after 500 jobs");
    }

    private Job pollTimer(ProcessInstance instance) {
        for (String timer : POLL_TIMERS) {
            Job job = engine.getManagementService().createJobQuery().processInstanceId(instance.getId()).timers()
                    .activityId(timer).singleResult();
            if (job != null) {
                return job;
            }
        }
        return null;
    }

    private static void pace() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
