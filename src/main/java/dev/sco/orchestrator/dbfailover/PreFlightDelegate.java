package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Data-loss window, checkpoints and a rolled-back run of the preparation scripts, for the approval form. */
@Component("preFlightDelegate")
class PreFlightDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final FailoverService service;

    PreFlightDelegate(FailoverService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long id = guard.begin(execution).id();
        FailoverService.PreFlight preFlight = service.preFlight(id);
        execution.setVariable(DatabaseFailoverProcess.VAR_DATA_LOSS_WINDOW, preFlight.dataLossWindow());
        execution.setVariable(DatabaseFailoverProcess.VAR_CHECKPOINTS, preFlight.checkpoints());
        execution.setVariable(DatabaseFailoverProcess.VAR_PRE_FLIGHT, preFlight.scripts());
        execution.setVariable(DatabaseFailoverProcess.VAR_PRE_FLIGHT_OK, preFlight.scriptsOk());
        boolean auto = service.autoApproves(id);
        execution.setVariable(DatabaseFailoverProcess.VAR_AUTO_APPROVED, auto);
        if (auto) {
            service.recordApproval(id, true, "policy");
        }
    }
}
