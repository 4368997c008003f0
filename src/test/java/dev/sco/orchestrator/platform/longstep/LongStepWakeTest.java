package dev.sco.orchestrator.platform.longstep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A long step created on a node is worked at once by that node's worker, not at its next poll:
 * the worker here polls once an hour, so only the signal sent when the creating transaction
 * commits can make it work the step. A transaction that rolls back sends none.
 */
@OrchestratorTest
class LongStepWakeTest {

    @Autowired
    ProcessEngine engine;
    @Autowired
    LongStepSignal signal;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void aLongStepCreatedHereIsWorkedWithoutWaitingForThePoll() throws Exception {
        String topic = "wake-" + UUID.randomUUID().toString().substring(0, 8);
        String key = deploy(topic);
        AtomicInteger ran = new AtomicInteger();
        LongStepWorker worker = new LongStepWorker(List.of(step(topic, ran)), engine.getExternalTaskService(),
                engine.getRuntimeService(), transactions,
                new LongStepSettings(Duration.ofSeconds(60), Duration.ofHours(1), 2, Duration.ofSeconds(30)), signal);
        worker.start();
        try {
            String process = engine.getRuntimeService().startProcessInstanceByKey(key).getId();

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(process).count() > 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(process).count())
                    .as("the process passed its long step, an hour before the worker's next poll").isZero();
            assertThat(ran).hasValue(1);
        } finally {
            worker.stop();
        }
    }

    @Test
    void aLongStepWhoseTransactionRollsBackSignalsNothing() {
        String topic = "wake-" + UUID.randomUUID().toString().substring(0, 8);
        // The long step is created on one branch; the other branch then fails, so the start rolls back.
        String failing = "longStepWakeFailing" + topic.substring(5);
        BpmnModelInstance model = Bpmn.createExecutableProcess(failing).camundaHistoryTimeToLive(1)
                .startEvent("StartEvent_Started")
                .parallelGateway("Gateway_Split")
                .serviceTask("ServiceTask_Long").camundaExternalTask(topic)
                .endEvent("EndEvent_Done")
                .moveToNode("Gateway_Split")
                .serviceTask("ServiceTask_Fails").camundaExpression("${noSuchBean.fail()}")
                .endEvent("EndEvent_Failed")
                .done();
        engine.getRepositoryService().createDeployment().addModelInstance(failing + ".bpmn", model).deploy();
        String key = deploy(topic);
        AtomicInteger signals = new AtomicInteger();
        // Only this test's definitions count: other work in the shared context may create long steps.
        try (LongStepSignal.Subscription ignored = signal.onSignal(definition -> {
            if (definition.startsWith(failing + ":") || definition.startsWith(key + ":")) {
                signals.incrementAndGet();
            }
        })) {
            assertThatThrownBy(() -> engine.getRuntimeService().startProcessInstanceByKey(failing))
                    .hasMessageContaining("noSuchBean");
            assertThat(engine.getExternalTaskService().createExternalTaskQuery().topicName(topic).count())
                    .as("the start rolled back").isZero();
            assertThat(signals).hasValue(0);

            engine.getRuntimeService().startProcessInstanceByKey(key);
            assertThat(signals).as("signalled once its transaction committed").hasValue(1);
        }
    }

    private String deploy(String topic) {
        String key = "longStepWake" + topic.substring(topic.indexOf('-') + 1);
        BpmnModelInstance model = Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(1)
                .startEvent("StartEvent_Started")
                .serviceTask("ServiceTask_Long").camundaExternalTask(topic)
                .endEvent("EndEvent_Done")
                .done();
        engine.getRepositoryService().createDeployment().addModelInstance(key + ".bpmn", model).deploy();
        return key;
    }

    private static LongStep step(String topic, AtomicInteger ran) {
        return new LongStep() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public void check(LongStepTask task) {
            }

            @Override
            public Map<String, Object> run(LongStepTask task) {
                ran.incrementAndGet();
                return Map.of();
            }

            @Override
            public void completed(LongStepTask task) {
            }
        };
    }
}
