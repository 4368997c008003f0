package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ByteArrayEntity;
import org.camunda.bpm.engine.repository.ResourceTypes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every command's entity manager checks ids as the engine does, and builds the message only to throw it. */
@OrchestratorTest
class EntityManagerPluginTest {

    @Autowired
    ProcessEngine engine;

    @Test
    void commandsUseTheCheckedIdEntityManager() {
        Object manager = commands().execute(context -> context.getDbEntityManager());
        assertThat(manager).isInstanceOf(EntityManagerPlugin.CheckedIdEntityManager.class);
    }

    @Test
    void aReservedIdIsRefusedWithTheEnginesMessage() {
        // (A missing id never reaches the check: insert gives the entity a new one first.)
        ByteArrayEntity reserved = new ByteArrayEntity("reserved", new byte[] {1}, ResourceTypes.RUNTIME);
        reserved.setId("*");
        assertThatThrownBy(() -> commands().execute(context -> {
            context.getDbEntityManager().insert(reserved);
            return null;
        })).isInstanceOf(ProcessEngineException.class)
                .hasMessageContaining("ByteArrayEntity")
                .hasMessageContaining("has an invalid id")
                .hasMessageContaining("is a reserved identifier");
    }

    private org.camunda.bpm.engine.impl.interceptor.CommandExecutor commands() {
        return ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getCommandExecutorTxRequired();
    }
}
