package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

@OrchestratorTest
class EngineHardeningPluginTest {

    @Autowired
    RepositoryService repository;

    @Test
    void modelWithAScriptTaskIsNotDeployed() {
        BpmnModelInstance model = Bpmn.createExecutableProcess("scriptTaskProcess")
                .camundaHistoryTimeToLive(1)
                .startEvent("StartEvent_Go").name("Go")
                .scriptTask("ScriptTask_Run").name("Run").scriptFormat("javascript").scriptText("java.lang.System.exit(1)")
                .endEvent("EndEvent_Done").name("Done")
                .done();

        assertRefused("script-task", model);
    }

    @Test
    void modelWithAScriptListenerIsNotDeployed() {
        BpmnModelInstance model = Bpmn.readModelFromStream(new ByteArrayInputStream("""
                <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                             xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="test">
                  <process id="scriptListenerProcess" isExecutable="true" camunda:historyTimeToLive="1">
                    <startEvent id="StartEvent_Go" name="Go">
                      <extensionElements>
                        <camunda:executionListener event="start">
                          <camunda:script scriptFormat="groovy">println 'hello'</camunda:script>
                        </camunda:executionListener>
                      </extensionElements>
                    </startEvent>
                  </process>
                </definitions>""".getBytes(StandardCharsets.UTF_8)));

        assertRefused("script-listener", model);
    }

    private void assertRefused(String name, BpmnModelInstance model) {
        assertThatThrownBy(() -> repository.createDeployment().name(name).addModelInstance(name + ".bpmn", model).deploy())
                .hasMessageContaining("scripts are disabled");
        assertThat(repository.createDeploymentQuery().deploymentName(name).count()).isZero();
    }
}
