package dev.sco.orchestrator.standby;

import java.util.Set;

import dev.sco.orchestrator.platform.rails.OperationSteps;
import dev.sco.orchestrator.platform.rails.StepRefusedException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The rail in front of every step of a hub takeover: the takeover is the one the standby watch
 * recorded for this process instance when it promoted the standby; pair and hubs come from that
 * record, not from variables, and each step is written once to the step ledger.
 */
@Component
class TakeoverGuard {

    /** The reminder may fire again while the portal is still not reconfigured. */
    private static final Set<String> REPEATABLE = Set.of(HubTakeoverProcess.REMIND_OPERATORS);

    private final JdbcClient jdbc;
    private final OperationSteps steps;

    TakeoverGuard(JdbcClient jdbc, OperationSteps steps) {
        this.jdbc = jdbc;
        this.steps = steps;
    }

    @Transactional
    TakeoverVariables begin(DelegateExecution execution) {
        String pid = execution.getProcessInstanceId();
        TakeoverVariables takeover = jdbc.sql("""
                        SELECT pair, to_hub, from_hub, business_key FROM hub_takeover WHERE process_instance_id = ?""")
                .param(pid)
                .query((rs, i) -> new TakeoverVariables(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4)))
                .optional()
                .orElseThrow(() -> new StepRefusedException("Process " + pid
                        + " has no hub takeover of its own (the standby watch records one when it promotes a hub); "
                        + "its steps may not act"));
        String step = execution.getCurrentActivityId();
        steps.record(pid, step, "hub-takeover:" + takeover.takeoverKey(), OperationSteps.ORCHESTRATOR, null,
                REPEATABLE.contains(step));
        return takeover;
    }
}
