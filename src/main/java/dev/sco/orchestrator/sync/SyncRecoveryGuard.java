package dev.sco.orchestrator.sync;

import java.util.List;

import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.rails.OperationSteps;
import dev.sco.orchestrator.platform.rails.StartRules;
import dev.sco.orchestrator.platform.rails.StartVariables;
import dev.sco.orchestrator.platform.rails.StepRefusedException;
import dev.sco.orchestrator.platform.web.Conflict;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Rails of the sync recovery: it starts (by hand too) only for a pair whose sync is stopped after
 * failed runs; its full copy runs only after a DBA, authenticated, approved it in this process,
 * while the pair is still stopped, and once; the schedule resumes only after that copy. Neither
 * the start nor the copy is allowed while the pair is failed over, being restored, or stopped by a
 * failover: the copy would write the old primary over the database the consumers now use, and
 * resuming the schedule would keep doing it.
 */
@Component
class SyncRecoveryGuard implements StartRules {

    private final SyncService service;
    private final SyncRepository repository;
    private final OperationSteps steps;

    SyncRecoveryGuard(SyncService service, SyncRepository repository, OperationSteps steps) {
        this.service = service;
        this.repository = repository;
        this.steps = steps;
    }

    @Override
    public String processKey() {
        return SyncRecoveryProcess.KEY;
    }

    @Override
    public List<String> startingGroups() {
        return List.of(Groups.DBA);
    }

    @Override
    public List<String> accepted() {
        return List.of(SyncRecoveryProcess.VAR_DATABASE);
    }

    @Override
    public void check(StartVariables variables) {
        String database = variables.name(SyncRecoveryProcess.VAR_DATABASE);
        StartVariables.about(SyncRecoveryProcess.VAR_DATABASE, () -> service.pair(database));
        if (stoppedAt(database) == null) {
            throw new Conflict(StartVariables.field(SyncRecoveryProcess.VAR_DATABASE), "Sync of '" + database
                    + "' is not stopped: there is nothing to recover");
        }
        String refusal = continuityRefusal(database);
        if (refusal != null) {
            throw new Conflict(StartVariables.field(SyncRecoveryProcess.VAR_DATABASE), refusal);
        }
    }

    /** Why a failover or restoration forbids recovering the pair now; null when nothing does. */
    private String continuityRefusal(String database) {
        SyncRepository.State state = repository.state(database).orElse(null);
        if (state != null && SyncRepository.STOPPED_FOR_FAILOVER.equals(state.stoppedReason())) {
            return SyncService.stoppedBecause(database, state) + ": a full resync would copy the old primary over "
                    + "the database that took over";
        }
        try {
            service.refuseUnlessCopyable(service.pair(database));
            return null;
        } catch (Conflict e) {
            return e.getMessage();
        }
    }

    private java.time.Instant stoppedAt(String database) {
        return repository.state(database).map(SyncRepository.State::stoppedAt).orElse(null);
    }

    /** Before the full copy: stopped pair, approved here by a DBA, not copied yet in this process. */
    void checkFullResync(String processInstanceId, String database) {
        if (database == null || stoppedAt(database) == null) {
            throw new StepRefusedException("Full resync of '" + database + "' refused: its sync is not stopped");
        }
        String refusal = continuityRefusal(database);
        if (refusal != null) {
            throw new StepRefusedException("Full resync of '" + database + "' refused: " + refusal);
        }
        OperationSteps.Decision approval = steps.decision(processInstanceId, SyncRecoveryProcess.APPROVE_RESYNC)
                .orElse(null);
        if (approval == null || !"approved".equals(approval.outcome())) {
            throw new StepRefusedException("Full resync of '" + database + "' refused: no DBA approved it in process "
                    + processInstanceId);
        }
        if (steps.done(processInstanceId, SyncRecoveryProcess.FULL_RESYNC)) {
            throw new StepRefusedException("Full resync of '" + database + "' refused: process " + processInstanceId
                    + " has copied the pair already");
        }
    }

    /** After the full copy, in the transaction that completes the step. */
    void recordFullResync(String processInstanceId, String database) {
        steps.record(processInstanceId, SyncRecoveryProcess.FULL_RESYNC, "sync-pair:" + database,
                OperationSteps.ORCHESTRATOR, null, false);
    }

    /** Before resuming the schedule: this process's full copy ran. */
    @Transactional
    String beginResume(DelegateExecution execution) {
        String database = (String) execution.getVariable(SyncRecoveryProcess.VAR_DATABASE);
        String pid = execution.getProcessInstanceId();
        if (!steps.done(pid, SyncRecoveryProcess.FULL_RESYNC)) {
            throw new StepRefusedException("Sync of '" + database + "' not resumed: process " + pid
                    + " has not copied the pair whole");
        }
        steps.record(pid, SyncRecoveryProcess.RESUME_SCHEDULE, "sync-pair:" + database, OperationSteps.ORCHESTRATOR,
                null, false);
        return database;
    }

    /** Records the DBA's decision on the approval task under the authenticated user's name. */
    @Component("recordResyncDecisionListener")
    static class RecordDecision implements TaskListener {

        private final OperationSteps steps;

        RecordDecision(OperationSteps steps) {
            this.steps = steps;
        }

        @Override
        public void notify(DelegateTask task) {
            Authentication user = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
            if (user == null || user.getUserId() == null) {
                throw new StepRefusedException("The full resync must be approved or declined by an authenticated DBA");
            }
            boolean approved = Boolean.TRUE.equals(task.getVariable(SyncRecoveryProcess.VAR_APPROVED));
            steps.record(task.getProcessInstanceId(), task.getTaskDefinitionKey(),
                    "sync-pair:" + task.getVariable(SyncRecoveryProcess.VAR_DATABASE), user.getUserId(),
                    approved ? "approved" : "declined", true);
        }
    }
}
