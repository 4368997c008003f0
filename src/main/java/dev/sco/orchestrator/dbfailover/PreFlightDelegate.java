package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.platform.forms.FormVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Data-loss window, checkpoints and a rolled-back run of the preparation scripts, for the approval form. */
@Component("preFlightDelegate")
class PreFlightDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final FailoverService service;
    private final AutoApprovalPolicy policy;

    PreFlightDelegate(FailoverService service, OperationGuard guard, AutoApprovalPolicy policy) {
        this.guard = guard;
        this.service = service;
        this.policy = policy;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long id = guard.begin(execution).id();
        FailoverService.PreFlight preFlight = service.preFlight(id);
        execution.setVariable(DatabaseFailoverProcess.VAR_DATA_LOSS_WINDOW, preFlight.dataLossWindow());
        execution.setVariable(DatabaseFailoverProcess.VAR_CHECKPOINTS, preFlight.checkpoints());
        execution.setVariable(DatabaseFailoverProcess.VAR_PRE_FLIGHT, preFlight.scripts());
        execution.setVariable(DatabaseFailoverProcess.VAR_PRE_FLIGHT_OK, preFlight.scriptsOk());
        // The same report as rows, for the approval form's tables (the text variables stay for the API).
        execution.setVariable(DatabaseFailoverProcess.VAR_PRE_FLIGHT_SCRIPTS, FormVariables.rows(preFlight.scriptRows()));
        execution.setVariable(DatabaseFailoverProcess.VAR_CHECKPOINT_TABLES, FormVariables.rows(preFlight.checkpointRows()));
        // The policy needs the pre-flight's result: an approval without it could fence the old
        // primary and then fail on the scripts.
        boolean auto = policy.decide(id, preFlight.scriptsOk()).approved();
        execution.setVariable(DatabaseFailoverProcess.VAR_AUTO_APPROVED, auto);
        if (auto) {
            service.recordApproval(id, true, "policy");
        }
    }
}
