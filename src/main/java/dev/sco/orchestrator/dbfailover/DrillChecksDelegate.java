package dev.sco.orchestrator.dbfailover;

import java.util.List;
import java.util.Map;

import dev.sco.orchestrator.platform.forms.FormVariables;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * A drill's fencing check and consumer look-up; records the evidence and changes nothing. When
 * the drill found a problem the process opens a review task for the DBAs.
 */
@Component("drillChecksDelegate")
class DrillChecksDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final FailoverService service;

    DrillChecksDelegate(FailoverService service, OperationGuard guard) {
        this.guard = guard;
        this.service = service;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String preFlight = String.valueOf(execution.getVariable(DatabaseFailoverProcess.VAR_PRE_FLIGHT));
        Boolean preFlightOk = (Boolean) execution.getVariable(DatabaseFailoverProcess.VAR_PRE_FLIGHT_OK);
        FailoverService.DrillOutcome outcome = service.drill(guard.begin(execution).id(), preFlight, preFlightOk,
                preFlightMs(execution.getVariable(DatabaseFailoverProcess.VAR_PRE_FLIGHT_SCRIPTS)));
        execution.setVariable("evidence", outcome.evidence());
        execution.setVariable(DatabaseFailoverProcess.VAR_DRILL_PROBLEM_FOUND, !outcome.problems().isEmpty());
        execution.setVariable(DatabaseFailoverProcess.VAR_DRILL_PROBLEMS, String.join("\n", outcome.problems()));
        execution.setVariable(DatabaseFailoverProcess.VAR_DRILL_CHECKS, FormVariables.rows(outcome.checkRows()));
    }

    /** The pre-flight scripts' dry-run time, summed from the pre-flight rows; null when unknown. */
    private static Long preFlightMs(Object rows) {
        if (!(rows instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        long total = 0;
        for (Object row : list) {
            if (!(row instanceof Map<?, ?> map) || !(map.get("durationMs") instanceof Number ms)) {
                return null;
            }
            total += ms.longValue();
        }
        return total;
    }
}
