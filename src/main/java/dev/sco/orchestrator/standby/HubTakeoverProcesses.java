package dev.sco.orchestrator.standby;

import java.time.Instant;
import java.util.Date;
import java.util.Map;

import dev.sco.orchestrator.platform.AsSystem;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;

/** The engine calls of this feature: starting a takeover, on the orchestrator's own account. */
@Component
class HubTakeoverProcesses {

    private final RuntimeService runtime;
    private final AsSystem system;

    HubTakeoverProcesses(RuntimeService runtime, AsSystem system) {
        this.runtime = runtime;
        this.system = system;
    }

    String start(String businessKey, String pair, String newActing, String previous, Instant at, boolean synced) {
        Map<String, Object> variables = Map.of(
                HubTakeoverProcess.VAR_PAIR, pair,
                HubTakeoverProcess.VAR_NEW_ACTING_HUB, newActing,
                HubTakeoverProcess.VAR_PREVIOUS_ACTING_HUB, previous,
                HubTakeoverProcess.VAR_TAKEOVER_AT, Date.from(at),
                HubTakeoverProcess.VAR_STANDBY_WAS_SYNCHRONISED, synced);
        return system.call(() -> runtime.startProcessInstanceByKey(HubTakeoverProcess.KEY, businessKey, variables))
                .getId();
    }
}
