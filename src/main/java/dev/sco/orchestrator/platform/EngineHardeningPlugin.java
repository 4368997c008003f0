package dev.sco.orchestrator.platform;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import dev.sco.orchestrator.platform.rails.EngineRails;
import org.springframework.stereotype.Component;

/**
 * Engine settings that must hold whatever the YAML says: no Java-serialised variables, JSON as
 * the default object format, and no scripts in any deployed model (a deployment containing a
 * script task, a script listener, a script input/output mapping or a script condition is refused),
 * and the command rails of {@link EngineRails} on every entrance to the engine.
 */
@Component
class EngineHardeningPlugin extends AbstractProcessEnginePlugin {

    private final EngineRails rails;

    EngineHardeningPlugin(EngineRails rails) {
        this.rails = rails;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setJavaSerializationFormatEnabled(false);
        configuration.setDefaultSerializationFormat("application/json");
        configuration.setEnableScriptEngineLoadExternalResources(false);
        configuration.setEnforceHistoryTimeToLive(true);
        List<BpmnParseListener> listeners = configuration.getCustomPreBPMNParseListeners();
        if (listeners == null) {
            listeners = new ArrayList<>();
            configuration.setCustomPreBPMNParseListeners(listeners);
        }
        listeners.add(new RejectScriptsParseListener());
        addInterceptor(configuration.getCustomPreCommandInterceptorsTxRequired(),
                configuration::setCustomPreCommandInterceptorsTxRequired);
        addInterceptor(configuration.getCustomPreCommandInterceptorsTxRequiresNew(),
                configuration::setCustomPreCommandInterceptorsTxRequiresNew);
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine processEngine) {
        rails.engineBuilt(processEngine);
    }

    private void addInterceptor(List<CommandInterceptor> present,
                                java.util.function.Consumer<List<CommandInterceptor>> set) {
        List<CommandInterceptor> interceptors = present == null ? new ArrayList<>() : new ArrayList<>(present);
        interceptors.add(rails.commandGuard());
        set.accept(interceptors);
    }

    static final class RejectScriptsParseListener extends AbstractBpmnParseListener {

        @Override
        public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
            rejectScripts(processElement, processDefinition.getKey());
        }

        private static void rejectScripts(Element element, String processKey) {
            String tag = element.getTagName();
            boolean script = "scriptTask".equals(tag) || "script".equals(tag)
                    || ("conditionExpression".equals(tag) && element.attribute("language") != null);
            if (script) {
                throw new ProcessEngineException("Process '" + processKey + "' contains a script ('" + tag
                        + "' at line " + element.getLine() + "); scripts are disabled in this orchestrator");
            }
            for (Element child : element.elements()) {
                rejectScripts(child, processKey);
            }
        }
    }
}
