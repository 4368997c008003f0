package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * One look of a verification: are the consumers on the database that now takes over, and does it
 * take writes? A verification is a loop in the model (this step, a gateway, a poll timer) that
 * ends when every consumer is there or when the verification timeout, counted from the round's
 * first look, has passed. Each look is a short job; the wait between looks is a BPMN timer, so no
 * job holds its lock while consumers take their time to reconnect.
 */
@Component("verifyConsumersDelegate")
class VerifyConsumersDelegate implements JavaDelegate {

    private final OperationGuard guard;
    private final FailoverService service;
    private final FailoverSettings settings;
    private final Clock clock;

    VerifyConsumersDelegate(FailoverService service, OperationGuard guard, FailoverSettings settings, Clock clock) {
        this.guard = guard;
        this.service = service;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long operation = guard.begin(execution).id();
        Instant now = clock.instant();
        // The round's deadline is set by its first look and removed by its last, so the looks of
        // one round share it and the next round (after operators moved consumers) starts afresh.
        Instant deadline = execution.getVariable(DatabaseFailoverProcess.VAR_VERIFY_DEADLINE) instanceof Date date
                ? date.toInstant() : now.plus(settings.verifyTimeout());
        boolean lastLook = !now.isBefore(deadline);
        FailoverService.Verification result = service.verify(operation, lastLook);
        boolean waiting = !result.complete() && !lastLook;
        execution.setVariable(DatabaseFailoverProcess.VAR_ALL_MOVED, result.complete());
        execution.setVariable(DatabaseFailoverProcess.VAR_VERIFY_WAITING, waiting);
        if (waiting) {
            execution.setVariable(DatabaseFailoverProcess.VAR_VERIFY_DEADLINE, Date.from(deadline));
            execution.setVariable(DatabaseFailoverProcess.VAR_VERIFY_POLL, settings.verifyPoll().toString());
        } else {
            execution.removeVariable(DatabaseFailoverProcess.VAR_VERIFY_DEADLINE);
        }
        String notMoved = String.join(", ", result.notMoved());
        execution.setVariable(DatabaseFailoverProcess.VAR_NOT_MOVED,
                result.writable() || waiting ? notMoved : notMoved + (notMoved.isEmpty() ? "" : "; ") + result.detail());
    }
}
