package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.history.HistoryLevel;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@OrchestratorTest
class EngineConfigurationTest {

    @Autowired
    ProcessEngine engine;

    @Autowired
    org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties camunda;

    private ProcessEngineConfigurationImpl configuration() {
        return (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
    }

    @Test
    void timersAreLookedForAtLeastEveryTwoSeconds() {
        assertThat(camunda.getJobExecution().getMaxWait()).isLessThanOrEqualTo(2_000);
        assertThat(camunda.getJobExecution().getWaitTimeInMillis()).isLessThanOrEqualTo(2_000);
    }

    @Test
    void historyAndAuthorizationAreConfiguredExplicitly() {
        assertThat(configuration().getHistoryLevel()).isEqualTo(HistoryLevel.HISTORY_LEVEL_FULL);
        assertThat(configuration().isAuthorizationEnabled()).isTrue();
        assertThat(configuration().isEnforceHistoryTimeToLive()).isTrue();
    }

    @Test
    void javaSerialisedVariablesAreRefused() {
        engine.getRepositoryService().createDeployment().addModelInstance("serialisation-probe.bpmn",
                Bpmn.createExecutableProcess("serialisationProbeProcess").camundaHistoryTimeToLive(1)
                        .startEvent("StartEvent_Probe").userTask("UserTask_Wait").endEvent().done()).deploy();

        assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey("serialisationProbeProcess",
                Map.of("payload", Variables.serializedObjectValue("rO0ABXQABHRlc3Q=")
                        .serializationDataFormat(Variables.SerializationDataFormats.JAVA)
                        .objectTypeName("java.lang.String").create())))
                .isInstanceOf(ProcessEngineException.class)
                .hasMessageContaining("Java serialization format is prohibited");
    }

    @Test
    void modelsWithScriptsAreNotDeployed() {
        assertThatThrownBy(() -> engine.getRepositoryService().createDeployment()
                .addModelInstance("script-probe.bpmn", Bpmn.createExecutableProcess("scriptProbeProcess")
                        .camundaHistoryTimeToLive(1).startEvent().scriptTask("ScriptTask_Evil")
                        .scriptFormat("javascript").scriptText("java.lang.System.exit(1)").endEvent().done())
                .deploy())
                .hasMessageContaining("scripts are disabled");
    }
}
