package dev.sco.orchestrator.dbfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Data-loss window, checkpoints and a rolled-back run of the preparation scripts, for the approval form. */
@Component("preFlightDelegate")
class PreFlightDelegate implements JavaDelegate {

    private final FailoverService service;
    private final FailoverRequests requests;

    PreFlightDelegate(FailoverService service, FailoverRequests requests) {
        this.service = service;
        this.requests = requests;
    }

    @Override
    public void execute(DelegateExecution execution) {
        if (!execution.hasVariable(DatabaseFailoverProcess.VAR_OPERATION_ID)) {
            adopt(execution);
        }
        long id = FailoverVariables.operationId(execution);
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

    /** A start over the engine REST API: register the operation from the start variables. */
    private void adopt(DelegateExecution execution) {
        String database = (String) execution.getVariable(DatabaseFailoverProcess.VAR_DATABASE);
        if (database == null) {
            throw new IllegalArgumentException("Start variable 'database' is required");
        }
        String mode = execution.hasVariable(DatabaseFailoverProcess.VAR_MODE)
                ? (String) execution.getVariable(DatabaseFailoverProcess.VAR_MODE) : DatabaseFailoverProcess.MODE_UNPLANNED;
        String reason = execution.hasVariable(DatabaseFailoverProcess.VAR_REASON)
                ? (String) execution.getVariable(DatabaseFailoverProcess.VAR_REASON) : "started over the engine REST API";
        String ticket = (String) execution.getVariable(DatabaseFailoverProcess.VAR_TICKET);
        String requestedBy = execution.hasVariable(DatabaseFailoverProcess.VAR_REQUESTED_BY)
                ? (String) execution.getVariable(DatabaseFailoverProcess.VAR_REQUESTED_BY) : "engine-rest";
        long id = requests.adopt(database, mode, reason, ticket, requestedBy, execution.getProcessInstanceId());
        execution.setVariable(DatabaseFailoverProcess.VAR_OPERATION_ID, id);
        execution.setVariable(DatabaseFailoverProcess.VAR_MODE, mode);
        execution.setVariable(DatabaseFailoverProcess.VAR_REASON, reason);
        execution.setVariable(DatabaseFailoverProcess.VAR_TICKET, ticket == null ? "" : ticket);
        execution.setVariable(DatabaseFailoverProcess.VAR_REQUESTED_BY, requestedBy);
        execution.setVariable(DatabaseFailoverProcess.VAR_FAILOVER_DATABASE, service.operation(id).failoverDatabase());
    }
}
