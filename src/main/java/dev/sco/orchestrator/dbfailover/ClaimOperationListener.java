package dev.sco.orchestrator.dbfailover;

import dev.sco.orchestrator.platform.rails.StepRefusedException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * At the start of a failover or restoration started by hand (engine REST API, Tasklist; variables
 * already checked by the start rules): makes its operation record, with the authenticated user as
 * requester, bound to this process instance. A start by the orchestrator ({@code POST /api/failovers},
 * the health probe) wrote its record first and binds it itself.
 */
@Component("claimOperationListener")
class ClaimOperationListener implements ExecutionListener {

    private final FailoverRepository repository;
    private final FailoverRequests requests;
    private final RestorationService restorations;

    ClaimOperationListener(FailoverRepository repository, FailoverRequests requests, RestorationService restorations) {
        this.repository = repository;
        this.requests = requests;
        this.restorations = restorations;
    }

    @Override
    public void notify(DelegateExecution execution) {
        String pid = execution.getProcessInstanceId();
        Object id = execution.getVariable(DatabaseFailoverProcess.VAR_OPERATION_ID);
        if (id != null) {
            // Only the orchestrator's own starts carry an operation id (the start rules refuse it from
            // a caller); they bind the record to this instance right after the start. Every step
            // then finds its operation by this instance, never by the variable.
            return;
        }
        String requestedBy = requester(execution);
        String database = (String) execution.getVariable(DatabaseFailoverProcess.VAR_DATABASE);
        String reason = (String) execution.getVariable(DatabaseFailoverProcess.VAR_REASON);
        String ticket = (String) execution.getVariable(DatabaseFailoverProcess.VAR_TICKET);
        if (ticket != null && ticket.isEmpty()) {
            ticket = null; // a start form's ticket field left empty
        }
        if (DatabaseRestorationProcess.KEY.equals(processKey(execution))) {
            String instance = (String) execution.getVariable(DatabaseRestorationProcess.VAR_INSTANCE);
            restorations.adopt(database, reason, ticket, instance == null || instance.isEmpty() ? null : instance,
                    requestedBy, execution);
            return;
        }
        String mode = (String) execution.getVariable(DatabaseFailoverProcess.VAR_MODE);
        long operationId = requests.adopt(database, mode, reason, ticket, requestedBy, pid);
        execution.setVariable(DatabaseFailoverProcess.VAR_OPERATION_ID, operationId);
        execution.setVariable(DatabaseFailoverProcess.VAR_TICKET, ticket == null ? "" : ticket);
        execution.setVariable(DatabaseFailoverProcess.VAR_REQUESTED_BY, requestedBy);
        execution.setVariable(DatabaseFailoverProcess.VAR_FAILOVER_DATABASE,
                repository.find(operationId).orElseThrow().failoverDatabase());
    }

    private static String processKey(DelegateExecution execution) {
        return execution.getProcessEngineServices().getRepositoryService()
                .getProcessDefinition(execution.getProcessDefinitionId()).getKey();
    }

    private static String requester(DelegateExecution execution) {
        Authentication user = execution.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        if (user == null || user.getUserId() == null) {
            throw new StepRefusedException("A " + processKey(execution)
                    + " started without an authenticated user and without an operation record");
        }
        return user.getUserId();
    }
}
