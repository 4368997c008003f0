package dev.sco.orchestrator.platform.longstep;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.behavior.ExternalTaskActivityBehavior;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.springframework.stereotype.Component;

/**
 * Every external service task (a long step) gets a start listener that, once the transaction that
 * created the task commits, signals this node's worker ({@link LongStepSignal}): a failover's stop
 * of sync or a restoration's copy back starts at once, not up to a poll interval later.
 */
@Component
class LongStepWakePlugin extends AbstractProcessEnginePlugin {

    private final LongStepSignal signal;

    LongStepWakePlugin(LongStepSignal signal) {
        this.signal = signal;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<BpmnParseListener> listeners = configuration.getCustomPostBPMNParseListeners() == null
                ? new ArrayList<>() : new ArrayList<>(configuration.getCustomPostBPMNParseListeners());
        ExecutionListener wake = execution -> {
            String definition = execution.getProcessDefinitionId();
            Context.getCommandContext().getTransactionContext()
                    .addTransactionListener(TransactionState.COMMITTED, committed -> signal.signal(definition));
        };
        listeners.add(new AbstractBpmnParseListener() {
            @Override
            public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                if (activity.getActivityBehavior() instanceof ExternalTaskActivityBehavior) {
                    activity.addListener(ExecutionListener.EVENTNAME_START, wake);
                }
            }
        });
        configuration.setCustomPostBPMNParseListeners(listeners);
    }
}
