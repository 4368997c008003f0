package dev.sco.orchestrator.dbfailover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.rails.StartRules;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFormData;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFormField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The Camunda Forms deployed with the models: every task that shows a report or a list has one,
 * every form submits only what the rails accept, start forms offer the estate's databases, a
 * drill started with its start form's values passes the rails, and the approval shows its
 * pre-flight as rows and refuses a decline without a reason.
 */
@OrchestratorTest
class CamundaFormsTest {

    /** Tasks that show a report or a list, with the form each must reference. */
    private static final Map<String, String> REPORT_TASKS = Map.of(
            "UserTask_ApproveFailover", "Form_ApproveDatabaseFailover",
            "UserTask_MoveRemainingConsumers", "Form_MoveRemainingConsumers",
            "UserTask_RegisterManualAgents", "Form_RegisterManualAgents",
            "UserTask_ApproveResync", "Form_ApproveResync",
            "UserTask_ReviewDrillFindings", "Form_ReviewDrillFindings",
            "UserTask_RepairBrokenChains", "Form_RepairBrokenChains",
            "UserTask_MoveRemainingToPrimary", "Form_MoveRemainingToPrimary",
            "UserTask_AcknowledgeUnconfirmedWriters", "Form_AcknowledgeUnconfirmedWriters");

    /** Processes operators start by hand, with their start form. */
    private static final Map<String, String> START_FORMS = Map.of(
            DatabaseFailoverProcess.KEY, "Form_StartDatabaseFailover",
            DatabaseRestorationProcess.KEY, "Form_StartDatabaseRestoration",
            "postCloneCheckProcess", "Form_StartPostCloneCheck",
            "continuityAuditProcess", "Form_StartContinuityAudit",
            "syncRecoveryProcess", "Form_StartSyncRecovery");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> DISPLAY_ONLY = Set.of("text", "table", "html", "image", "spacer", "separator");

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    List<StartRules> startRules;

    private FailoverEstate estate;

    @BeforeEach
    void startEstate() throws Exception {
        BpmnAwareTests.init(engine);
        estate = new FailoverEstate(jdbc);
        estate.consumersFollowTheirBindings();
    }

    @AfterEach
    void stopEstate() throws Exception {
        engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(DatabaseFailoverProcess.KEY)
                .variableValueEquals(DatabaseFailoverProcess.VAR_DATABASE, estate.primary).list()
                .forEach(pi -> engine.getRuntimeService().deleteProcessInstance(pi.getId(), "test over"));
        estate.close();
    }

    @Test
    void everyTaskShowingAReportReferencesAFormDeployedWithItsModel() throws Exception {
        Set<String> found = new HashSet<>();
        for (ProcessDefinition definition : latestDefinitions()) {
            BpmnModelInstance model = engine.getRepositoryService().getBpmnModelInstance(definition.getId());
            for (UserTask task : model.getModelElementsByType(UserTask.class)) {
                String expected = REPORT_TASKS.get(task.getId());
                if (expected == null) {
                    continue;
                }
                found.add(task.getId());
                assertThat(task.getCamundaFormRef()).as(task.getId()).isEqualTo(expected);
                assertThat(task.getCamundaFormRefBinding()).as(task.getId()).isEqualTo("deployment");
                JsonNode form = deployedForm(definition, expected);
                // What the form submits is exactly what the rails let a completion write.
                assertThat(submittedKeys(form)).as("fields of %s", expected).isSubsetOf(writableFields(task));
            }
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(REPORT_TASKS.keySet());
    }

    @Test
    void processesStartedByHandHaveAStartFormSubmittingOnlyAcceptedVariables() throws Exception {
        Map<String, StartRules> rules = startRules.stream().collect(Collectors.toMap(StartRules::processKey, r -> r));
        for (Map.Entry<String, String> entry : START_FORMS.entrySet()) {
            ProcessDefinition definition = engine.getRepositoryService().createProcessDefinitionQuery()
                    .processDefinitionKey(entry.getKey()).latestVersion().singleResult();
            BpmnModelInstance model = engine.getRepositoryService().getBpmnModelInstance(definition.getId());
            List<StartEvent> starts = model.getModelElementsByType(StartEvent.class).stream()
                    .filter(s -> s.getParentElement() instanceof org.camunda.bpm.model.bpmn.instance.Process).toList();
            assertThat(starts).as(entry.getKey()).hasSize(1);
            assertThat(starts.get(0).getCamundaFormRef()).as(entry.getKey()).isEqualTo(entry.getValue());
            JsonNode form = deployedForm(definition, entry.getValue());
            assertThat(submittedKeys(form)).as(entry.getValue())
                    .isNotEmpty().isSubsetOf(rules.get(entry.getKey()).accepted());
        }
    }

    @Test
    void failoverStartFormOffersTheEstatesPrimariesAndNotTheirPartners() {
        Api.Response form = api(Api.DEMO).get("/engine-rest/process-definition/key/" + DatabaseFailoverProcess.KEY
                + "/deployed-start-form");

        assertThat(form.status()).as("%s", form).isEqualTo(200);
        JsonNode database = component(form.body(), "database");
        List<String> offered = new ArrayList<>();
        database.get("values").forEach(v -> offered.add(v.get("value").asText()));
        assertThat(offered).contains(estate.primary).doesNotContain(estate.failover);
        assertThat(database.has("valuesKey")).isFalse();
    }

    @Test
    void startFormChoicesAreOnlyForCallersTheEngineLetsRead() {
        Api.Response anonymous = api(null).get("/engine-rest/process-definition/key/" + DatabaseFailoverProcess.KEY
                + "/deployed-start-form");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(String.valueOf(anonymous.body())).doesNotContain(estate.primary);
    }

    @Test
    void drillStartedWithItsStartFormShowsThePreFlightAsRowsAndADeclineNeedsAReason() throws Exception {
        // What Tasklist submits from the start form: the select's value, the radio's, the text areas
        // (an optional field left empty arrives as "").
        Api.Response started = api(Api.DEMO).post("/engine-rest/process-definition/key/" + DatabaseFailoverProcess.KEY
                + "/submit-form", "{\"variables\": {"
                + "\"database\": {\"value\": \"" + estate.primary + "\"},"
                + "\"mode\": {\"value\": \"drill\"},"
                + "\"reason\": {\"value\": \"quarterly drill\"},"
                + "\"ticket\": {\"value\": \"\"}}}");
        assertThat(started.status()).as("%s", started).isEqualTo(200);
        ProcessInstance drill = engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(started.text("id")).singleResult();
        new ProcessJobs(engine, longSteps).run(drill);
        assertThat(drill).isWaitingAt(DatabaseFailoverProcess.APPROVE);
        Task approval = engine.getTaskService().createTaskQuery().processInstanceId(drill.getId()).singleResult();

        // What Tasklist loads for the form: the pre-flight rows as JSON.
        Api.Response variables = api(Api.DBA).get("/engine-rest/task/" + approval.getId()
                + "/form-variables?deserializeValues=false");
        JsonNode scripts = variables.body().get(DatabaseFailoverProcess.VAR_PRE_FLIGHT_SCRIPTS);
        assertThat(scripts.path("valueInfo").path("serializationDataFormat").asText()).isEqualTo("application/json");
        JsonNode rows = JSON.readTree(scripts.get("value").asText());
        assertThat(rows.findValuesAsText("script")).contains("remove-orphans", "restore-unique-indexes");
        assertThat(rows.findValuesAsText("outcome")).allMatch(o -> o.startsWith("passed"));
        JsonNode checkpoints = JSON.readTree(variables.body().get(DatabaseFailoverProcess.VAR_CHECKPOINT_TABLES)
                .get("value").asText());
        assertThat(checkpoints.isArray()).isTrue();
        assertThat(variables.body().path("ticket").path("value").asText()).isEmpty();

        Api.Response unexplained = submit(approval, "\"approved\": {\"value\": false}");
        assertThat(unexplained.status()).isEqualTo(400);
        assertThat(unexplained.toString()).contains("decisionNote", "needs a reason");
        Api.Response blank = submit(approval, "\"approved\": {\"value\": false}, \"decisionNote\": {\"value\": \"  \"}");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(engine.getTaskService().createTaskQuery().taskId(approval.getId()).count()).isOne();

        Api.Response declined = submit(approval,
                "\"approved\": {\"value\": false}, \"decisionNote\": {\"value\": \"primary repaired in time\"}");

        assertThat(declined.status()).as("%s", declined).isEqualTo(204);
        assertThat(drill).hasPassed(DatabaseFailoverProcess.END_DECLINED).isEnded();
        assertThat(jdbc.sql("select state, ticket from continuity_operation where process_instance_id = ?")
                .param(drill.getId()).query((rs, n) -> rs.getString(1) + "/" + rs.getString(2)).single())
                .isEqualTo(ContinuityOperation.DECLINED + "/null");
    }

    private Api.Response submit(Task task, String variables) {
        return api(Api.DBA).post("/engine-rest/task/" + task.getId() + "/submit-form",
                "{\"variables\": {" + variables + "}}");
    }

    private List<ProcessDefinition> latestDefinitions() {
        return engine.getRepositoryService().createProcessDefinitionQuery().latestVersion().list();
    }

    private JsonNode deployedForm(ProcessDefinition definition, String formId) throws Exception {
        for (String resource : engine.getRepositoryService().getDeploymentResourceNames(definition.getDeploymentId())) {
            if (!resource.endsWith(".form")) {
                continue;
            }
            try (InputStream in = engine.getRepositoryService().getResourceAsStream(definition.getDeploymentId(), resource)) {
                JsonNode form = JSON.readTree(in);
                if (formId.equals(form.path("id").asText())) {
                    return form;
                }
            }
        }
        throw new AssertionError("No form '" + formId + "' in the deployment of " + definition.getKey());
    }

    /** Keys of the components a form submits (display components and disabled fields submit nothing). */
    private static Set<String> submittedKeys(JsonNode form) {
        Set<String> keys = new HashSet<>();
        collect(form, keys);
        return keys;
    }

    private static void collect(JsonNode node, Set<String> keys) {
        for (JsonNode component : node.path("components")) {
            if (component.hasNonNull("key") && !DISPLAY_ONLY.contains(component.path("type").asText())
                    && !component.path("disabled").asBoolean(false) && !component.path("readonly").asBoolean(false)) {
                keys.add(component.get("key").asText());
            }
            collect(component, keys);
        }
    }

    private static JsonNode component(JsonNode form, String key) {
        for (JsonNode component : form.path("components")) {
            if (key.equals(component.path("key").asText())) {
                return component;
            }
        }
        throw new AssertionError("No component '" + key + "' in " + form);
    }

    private static Set<String> writableFields(FlowElement task) {
        CamundaFormData data = task.getExtensionElements() == null ? null
                : task.getExtensionElements().getElementsQuery().filterByType(CamundaFormData.class).list().stream()
                .findFirst().orElse(null);
        if (data == null) {
            return Set.of();
        }
        return data.getCamundaFormFields().stream()
                .filter(f -> f.getCamundaValidation() == null || f.getCamundaValidation().getCamundaConstraints().stream()
                        .noneMatch(c -> "readonly".equals(c.getCamundaName())))
                .map(CamundaFormField::getCamundaId).collect(Collectors.toSet());
    }

    private Api api(String credentials) {
        return new Api(port).as(credentials);
    }
}
