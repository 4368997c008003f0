package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;

import dev.sco.orchestrator.OrchestratorApplication;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The embedded default keeps its data: a restart of the whole service loses no waiting process. */
class RestartPersistenceTest {

    private final Path dataDir = Path.of("target", "test-pg", "restart-" + UUID.randomUUID());

    @Test
    void processWaitingOnTimerAndTaskSurvivesARestart() {
        String instanceId;
        try (ConfigurableApplicationContext first = start()) {
            ProcessEngine engine = first.getBean(ProcessEngine.class);
            engine.getRepositoryService().createDeployment().addModelInstance("restart-probe.bpmn",
                    Bpmn.createExecutableProcess("restartProbeProcess").camundaHistoryTimeToLive(1)
                            .startEvent("StartEvent_Probe")
                            .parallelGateway("Gateway_Split")
                            .userTask("UserTask_Wait").name("Wait for me").camundaCandidateGroups("operators")
                            .endEvent("EndEvent_TaskDone")
                            .moveToNode("Gateway_Split")
                            .intermediateCatchEvent("Timer_Wait").timerWithDuration("P1D")
                            .endEvent("EndEvent_TimerDone")
                            .done())
                    .deploy();
            ProcessInstance instance = engine.getRuntimeService().startProcessInstanceByKey("restartProbeProcess", "restart-1");
            instanceId = instance.getId();
        }

        try (ConfigurableApplicationContext second = start()) {
            ProcessEngine engine = second.getBean(ProcessEngine.class);
            assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(instanceId).count())
                    .isEqualTo(1);
            assertThat(engine.getTaskService().createTaskQuery().processInstanceId(instanceId).singleResult().getName())
                    .isEqualTo("Wait for me");
            assertThat(engine.getManagementService().createJobQuery().processInstanceId(instanceId).timers().count())
                    .isEqualTo(1);
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(OrchestratorApplication.class).run(
                "--orchestrator.embedded.data-dir=" + dataDir,
                "--orchestrator.demo=false",
                "--orchestrator.admin.user=admin",
                "--orchestrator.admin.password=admin-test-password-1",
                "--orchestrator.process-application-name=restart-probe",
                "--camunda.bpm.process-engine-name=restartprobe",
                "--camunda.bpm.job-execution.enabled=false",
                "--camunda.bpm.webapp.enabled=false",
                // Quartz keeps data sources in a JVM-wide registry keyed by scheduler name.
                "--spring.quartz.properties.org.quartz.scheduler.instanceName=restart-probe",
                "--server.port=0",
                "--logging.level.root=warn");
    }
}
