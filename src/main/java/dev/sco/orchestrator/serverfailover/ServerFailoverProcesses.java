package dev.sco.orchestrator.serverfailover;

import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import dev.sco.orchestrator.platform.AsSystem;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;

/** The engine calls of this feature, on the orchestrator's own account. */
@Component
class ServerFailoverProcesses {

    private final RuntimeService runtime;
    private final AsSystem system;

    ServerFailoverProcesses(RuntimeService runtime, AsSystem system) {
        this.runtime = runtime;
        this.system = system;
    }

    String start(Outage outage) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(ServerFailoverProcess.VAR_SERVER, outage.server());
        variables.put(ServerFailoverProcess.VAR_STANDBY, outage.standby());
        variables.put(ServerFailoverProcess.VAR_OUTAGE_ID, outage.id());
        variables.put(ServerFailoverProcess.VAR_OUTAGE_START, Date.from(outage.outageStart()));
        variables.put(ServerFailoverProcess.VAR_STARTED_BY, "detector");
        String businessKey = ServerFailoverProcess.businessKey(outage.server(), outage.outageStart());
        return system.call(() -> runtime.startProcessInstanceByKey(ServerFailoverProcess.KEY, businessKey, variables))
                .getId();
    }

    /**
     * True when the outage's process was waiting for the server and now moves on. Correlates by
     * process instance: a failover started by hand has a business key of the operator's choosing.
     */
    boolean backOnline(Outage outage) {
        if (outage.processInstanceId() == null) {
            return false;
        }
        return system.call(() -> !runtime.createMessageCorrelation(ServerFailoverProcess.MESSAGE_BACK_ONLINE)
                .processInstanceId(outage.processInstanceId())
                .correlateAllWithResult().isEmpty());
    }
}
