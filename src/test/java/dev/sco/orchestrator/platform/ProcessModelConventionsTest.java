package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.ScriptTask;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaScript;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaTaskListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conventions every model in {@code processes/} follows (see docs/architecture.md): readable
 * ids and names, a diagram for every element, history that expires, and behaviour only in Spring
 * beans, never in scripts or classes named in the XML.
 */
class ProcessModelConventionsTest {

    private static final Path PROCESSES = Path.of("processes");

    private static final Pattern FLOW_NODE_ID = Pattern.compile(
            "^(StartEvent|EndEvent|UserTask|ServiceTask|SendTask|ReceiveTask|BusinessRuleTask|ManualTask|Task"
                    + "|Gateway|Timer|Message|Signal|Error|Escalation|Compensation|Conditional|Link|Event"
                    + "|Intermediate|Boundary|CallActivity|SubProcess)_[A-Z][A-Za-z0-9]*$");
    private static final Pattern SEQUENCE_FLOW_ID = Pattern.compile("^Flow_[A-Z][A-Za-z0-9]*$");

    static Stream<Path> models() throws IOException {
        try (Stream<Path> files = Files.list(PROCESSES)) {
            return files.filter(file -> file.toString().endsWith(".bpmn")).sorted().toList().stream();
        }
    }

    @Test
    void processesFolderHoldsModels() throws IOException {
        assertThat(models()).isNotEmpty();
    }

    /** The process application deploys exactly the listed models (scanning finds nothing inside the jar). */
    @Test
    void everyModelIsListedForDeployment() throws IOException {
        String descriptor = Files.readString(Path.of("src/main/resources/META-INF/processes.xml"));
        List<String> listed = java.util.regex.Pattern.compile("<resource>processes/([^/<]+\\.bpmn)</resource>")
                .matcher(descriptor).results().map(m -> m.group(1)).sorted().toList();
        assertThat(listed).containsExactlyElementsOf(models().map(m -> m.getFileName().toString()).toList());
    }

    /** The Camunda Forms the models reference are deployed with them: every form file is listed. */
    @Test
    void everyFormIsListedForDeployment() throws IOException {
        String descriptor = Files.readString(Path.of("src/main/resources/META-INF/processes.xml"));
        List<String> listed = java.util.regex.Pattern.compile("<resource>processes/forms/([^<]+)</resource>")
                .matcher(descriptor).results().map(m -> m.group(1)).sorted().toList();
        try (var forms = Files.list(Path.of("processes/forms"))) {
            assertThat(listed).isNotEmpty().containsExactlyElementsOf(forms.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".form")).sorted().toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void executableProcessIdsEndInProcessAndHistoryExpires(Path file) {
        List<Process> executable = read(file).getModelElementsByType(Process.class).stream()
                .filter(Process::isExecutable).toList();
        assertThat(executable).as("executable processes").isNotEmpty();
        for (Process process : executable) {
            assertThat(process.getId()).endsWith("Process");
            assertThat(process.getName()).as("name of " + process.getId()).isNotBlank();
            assertThat(process.getCamundaHistoryTimeToLiveString()).as("historyTimeToLive of " + process.getId())
                    .isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyFlowNodeAndSequenceFlowIsDrawn(Path file) {
        BpmnModelInstance model = read(file);
        assertThat(idsWhere(model.getModelElementsByType(FlowNode.class), node -> node.getDiagramElement() == null))
                .as("flow nodes without a shape").isEmpty();
        assertThat(idsWhere(model.getModelElementsByType(SequenceFlow.class), flow -> flow.getDiagramElement() == null))
                .as("sequence flows without an edge").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyFlowNodeHasAName(Path file) {
        assertThat(idsWhere(read(file).getModelElementsByType(FlowNode.class),
                node -> node.getName() == null || node.getName().isBlank()))
                .as("flow nodes without a name").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void idsSayTypeAndBusinessName(Path file) {
        BpmnModelInstance model = read(file);
        assertThat(idsWhere(model.getModelElementsByType(FlowNode.class), node -> !FLOW_NODE_ID.matcher(node.getId()).matches()))
                .as("flow node ids not of the form Type_BusinessName").isEmpty();
        assertThat(idsWhere(model.getModelElementsByType(SequenceFlow.class), flow -> !SEQUENCE_FLOW_ID.matcher(flow.getId()).matches()))
                .as("sequence flow ids not of the form Flow_BusinessName").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void branchesOfExclusiveGatewaysAreNamed(Path file) {
        for (ExclusiveGateway gateway : read(file).getModelElementsByType(ExclusiveGateway.class)) {
            Collection<SequenceFlow> outgoing = gateway.getOutgoing();
            if (outgoing.size() > 1) {
                assertThat(idsWhere(outgoing, flow -> flow.getName() == null || flow.getName().isBlank()))
                        .as("unnamed branches of " + gateway.getId()).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void modelsContainNoScripts(Path file) {
        BpmnModelInstance model = read(file);
        assertThat(model.getModelElementsByType(ScriptTask.class)).as("script tasks").isEmpty();
        assertThat(model.getModelElementsByType(CamundaScript.class)).as("camunda:script elements").isEmpty();
        assertThat(model.getModelElementsByType(ConditionExpression.class))
                .as("conditions in a script language")
                .allSatisfy(condition -> assertThat(condition.getLanguage()).isNull());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void serviceTasksAndListenersCallSpringBeans(Path file) {
        BpmnModelInstance model = read(file);
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            if ("external".equals(task.getCamundaType())) {
                // A long step, worked by a LongStep bean of this topic (platform.longstep).
                assertThat(task.getCamundaTopic()).as("topic of " + task.getId()).matches("[a-z]+(-[a-z]+)*");
                assertThat(task.getCamundaDelegateExpression()).as("delegateExpression of " + task.getId()).isNull();
                continue;
            }
            assertThat(task.getCamundaDelegateExpression()).as("delegateExpression of " + task.getId())
                    .matches("\\$\\{[a-z][A-Za-z0-9]*}");
            assertThat(task.getCamundaClass()).as("class of " + task.getId()).isNull();
            assertThat(task.getCamundaExpression()).as("expression of " + task.getId()).isNull();
        }
        assertThat(model.getModelElementsByType(CamundaExecutionListener.class))
                .allSatisfy(listener -> assertThat(listener.getCamundaClass()).as("execution listener class").isNull());
        assertThat(model.getModelElementsByType(CamundaTaskListener.class))
                .allSatisfy(listener -> assertThat(listener.getCamundaClass()).as("task listener class").isNull());
    }

    private static BpmnModelInstance read(Path file) {
        BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
        Bpmn.validateModel(model);
        return model;
    }

    private static <T extends BaseElement> List<String> idsWhere(Collection<T> elements, Function<T, Boolean> broken) {
        return elements.stream().filter(broken::apply).map(BaseElement::getId).toList();
    }
}
