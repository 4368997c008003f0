package dev.sco.orchestrator.serverfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/** At the start: a failover started by hand gets its outage record and the server's standby. */
@Component("prepareFailoverListener")
class PrepareFailoverListener implements ExecutionListener {

    private final ServerFailoverService service;

    PrepareFailoverListener(ServerFailoverService service) {
        this.service = service;
    }

    @Override
    public void notify(DelegateExecution execution) {
        String server = (String) execution.getVariable(ServerFailoverProcess.VAR_SERVER);
        if (server == null) {
            throw new IllegalArgumentException("Start variable '" + ServerFailoverProcess.VAR_SERVER + "' is required");
        }
        Number outageId = (Number) execution.getVariable(ServerFailoverProcess.VAR_OUTAGE_ID);
        ServerFailoverService.Prepared prepared = service.prepare(server, outageId == null ? null : outageId.longValue(),
                (String) execution.getVariable(ServerFailoverProcess.VAR_STANDBY), execution.getProcessInstanceId());
        execution.setVariable(ServerFailoverProcess.VAR_OUTAGE_ID, prepared.outageId());
        execution.setVariable(ServerFailoverProcess.VAR_STANDBY, prepared.standby());
        if (!execution.hasVariable(ServerFailoverProcess.VAR_STARTED_BY)) {
            var user = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
            execution.setVariable(ServerFailoverProcess.VAR_STARTED_BY,
                    user == null || user.getUserId() == null ? "engine-rest" : user.getUserId());
        }
    }
}
