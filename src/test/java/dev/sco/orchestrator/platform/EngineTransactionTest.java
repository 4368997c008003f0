package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandExecutor;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.spring.SpringTransactionInterceptor;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The engine joins the caller's transaction: a sensor that records a row and starts a process in
 * one transaction gets both or neither. (The rails' command guard once sat, as one instance, in
 * both of the engine's command chains, so every command ran in the chain that opens a transaction
 * of its own.)
 */
@OrchestratorTest
class EngineTransactionTest {

    @Autowired
    ProcessEngine engine;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aProcessStartedInTheCallersTransactionRollsBackWithIt() {
        String key = "engineTransaction" + UUID.randomUUID().toString().substring(0, 8);
        engine.getRepositoryService().createDeployment().addModelInstance(key + ".bpmn",
                Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(1)
                        .startEvent("StartEvent_Started").userTask("UserTask_Wait").endEvent("EndEvent_Done").done())
                .deploy();
        String subject = "tx-" + key;

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                    insert into sensor_decision (sensor, subject, action, reason, decided_at, last_decided_at, node,
                                                 last_node)
                    values ('engine-transaction-test', ?, 'started', 'test', now(), now(), 'test', 'test')""")
                    .param(subject).update();
            engine.getRuntimeService().startProcessInstanceByKey(key);
            throw new IllegalStateException("the caller fails after the start");
        })).hasMessage("the caller fails after the start");

        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(key).count())
                .as("the process start rolled back with the caller's row").isZero();
        assertThat(jdbc.sql("select count(*) from sensor_decision where subject = ?").param(subject)
                .query(Long.class).single()).isZero();

        transactions.executeWithoutResult(status -> engine.getRuntimeService().startProcessInstanceByKey(key));
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(key).count()).isOne();
    }

    @Test
    void eachCommandChainKeepsItsOwnPropagationBehindTheGuard() throws Exception {
        ProcessEngineConfigurationImpl configuration =
                (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        assertThat(propagation(configuration.getCommandExecutorTxRequired()))
                .isEqualTo(TransactionDefinition.PROPAGATION_REQUIRED);
        assertThat(propagation(configuration.getCommandExecutorTxRequiresNew()))
                .isEqualTo(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        assertThat(configuration.getCommandExecutorTxRequired().getClass().getSimpleName())
                .isEqualTo("EngineCommandGuard");
        assertThat(configuration.getCommandExecutorTxRequiresNew().getClass().getSimpleName())
                .isEqualTo("EngineCommandGuard");
    }

    /** The propagation of the Spring transaction interceptor in a command chain. */
    private static int propagation(CommandExecutor chain) throws ReflectiveOperationException {
        CommandExecutor link = chain;
        while (link instanceof CommandInterceptor interceptor) {
            if (interceptor instanceof SpringTransactionInterceptor spring) {
                var field = SpringTransactionInterceptor.class.getDeclaredField("transactionPropagation");
                field.setAccessible(true);
                return (int) field.get(spring);
            }
            link = interceptor.getNext();
        }
        throw new AssertionError("no Spring transaction interceptor in " + chain);
    }
}
