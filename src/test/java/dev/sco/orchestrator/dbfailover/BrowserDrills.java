package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A failover estate and the engine side of a drill driven through Tasklist by a browser test. */
public final class BrowserDrills implements AutoCloseable {

    private final ProcessEngine engine;
    private final dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps;
    private final JdbcClient jdbc;
    private final FailoverEstate estate;

    public BrowserDrills(ProcessEngine engine, dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps,
                         JdbcClient jdbc) throws Exception {
        this.engine = engine;
        this.longSteps = longSteps;
        this.jdbc = jdbc;
        this.estate = new FailoverEstate(jdbc);
        estate.consumersFollowTheirBindings();
    }

    public String primary() {
        return estate.primary;
    }

    /** The failover process started for this estate's primary, or null while there is none. */
    public ProcessInstance started() {
        return engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(DatabaseFailoverProcess.KEY)
                .variableValueEquals(DatabaseFailoverProcess.VAR_DATABASE, estate.primary).singleResult();
    }

    /** Runs the pre-flight; answers the approval task it waits at. */
    public Task runToApproval(ProcessInstance drill) {
        new ProcessJobs(engine, longSteps).run(drill);
        Task task = engine.getTaskService().createTaskQuery().processInstanceId(drill.getId()).singleResult();
        if (task == null || !DatabaseFailoverProcess.APPROVE.equals(task.getTaskDefinitionKey())) {
            throw new AssertionError("The drill does not wait at its approval: " + task);
        }
        return task;
    }

    public boolean taskGone(Task task) {
        return engine.getTaskService().createTaskQuery().taskId(task.getId()).count() == 0;
    }

    /** Runs the drill's checks; answers the operation's state. */
    public String finish(ProcessInstance drill) {
        new ProcessJobs(engine, longSteps).run(drill);
        return jdbc.sql("select state from continuity_operation where process_instance_id = ?").param(drill.getId())
                .query(String.class).single();
    }

    @Override
    public void close() throws Exception {
        engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(DatabaseFailoverProcess.KEY)
                .variableValueEquals(DatabaseFailoverProcess.VAR_DATABASE, estate.primary).list()
                .forEach(pi -> engine.getRuntimeService().deleteProcessInstance(pi.getId(), "test over"));
        estate.close();
    }
}
