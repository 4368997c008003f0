package dev.sco.orchestrator.serverfailover;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** After the moves: lists the agent and forwarding chains through the failed server that reach no live server. */
@Component("checkChainsDelegate")
class CheckChainsDelegate implements JavaDelegate {

    private final ServerFailoverService service;

    CheckChainsDelegate(ServerFailoverService service) {
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long outageId = service.begin(execution, true);
        ServerFailoverService.ChainCheck check = service.checkChains(outageId);
        execution.setVariable(ServerFailoverProcess.VAR_BROKEN_CHAINS, check.listing());
        execution.setVariable(ServerFailoverProcess.VAR_BROKEN_CHAIN_COUNT, check.broken().size());
    }
}
