package dev.sco.orchestrator.sync;

import java.util.Map;

import dev.sco.orchestrator.platform.AsSystem;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;

/** Engine calls of the sync feature, on the orchestrator's own account. */
@Component
class SyncRecoveryProcesses {

    private final RuntimeService runtime;
    private final AsSystem system;

    SyncRecoveryProcesses(RuntimeService runtime, AsSystem system) {
        this.runtime = runtime;
        this.system = system;
    }

    /** Starts the recovery of a pair unless one is already open; returns its process instance id. */
    String start(SyncPair pair, String failures) {
        return system.call(() -> {
            var open = runtime.createProcessInstanceQuery().processDefinitionKey(SyncRecoveryProcess.KEY)
                    .processInstanceBusinessKey(pair.primary()).active().list();
            if (!open.isEmpty()) {
                return open.get(0).getId();
            }
            return runtime.startProcessInstanceByKey(SyncRecoveryProcess.KEY, pair.primary(), Map.of(
                    SyncRecoveryProcess.VAR_DATABASE, pair.primary(),
                    SyncRecoveryProcess.VAR_FAILOVER, pair.failover(),
                    SyncRecoveryProcess.VAR_FAILURES, failures)).getId();
        });
    }
}
