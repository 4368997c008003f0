package dev.sco.orchestrator.audit;

import static dev.sco.orchestrator.audit.ContinuityAuditProcess.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.ProcessEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The audit over the engine REST API, as Tasklist uses it, with the demo users. */
@OrchestratorTest
class ContinuityAuditSecurityTest {

    private static final String OPERATOR = "operator:operator";
    private static final String DBA = "dba:dba";

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    AuditService audits;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private String processInstanceId;

    @AfterEach
    void removeInstance() {
        if (processInstanceId != null
                && engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(processInstanceId).count() > 0) {
            engine.getRuntimeService().deleteProcessInstance(processInstanceId, "test finished", true, true);
        }
    }

    @Test
    void operatorStartsTheAuditOverRestAndCompletesTheReviewFormWhileDbaIsRefused() throws Exception {
        HttpResponse<String> start = send("POST", "/engine-rest/process-definition/key/" + KEY + "/start", OPERATOR, """
                {"businessKey": "audit-rest-%s",
                 "variables": {"reviewDueAfter": {"value": "P3D", "type": "String"}}}""".formatted(UUID.randomUUID()));
        assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
        processInstanceId = json.readTree(start.body()).get("id").asText();

        JsonNode tasks = json.readTree(send("GET", "/engine-rest/task?maxResults=10&processInstanceId=" + processInstanceId, OPERATOR, null).body());
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).get("taskDefinitionKey").asText()).isEqualTo(REVIEW_CONTINUITY_PLAN);
        String taskId = tasks.get(0).get("id").asText();
        assertThat(json.readTree(send("GET", "/engine-rest/task?maxResults=10&processInstanceId=" + processInstanceId, DBA, null).body()))
                .as("review tasks visible to a dba").isEmpty();

        HttpResponse<String> form = send("GET", "/engine-rest/task/" + taskId + "/form-variables", OPERATOR, null);
        assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
        JsonNode fields = json.readTree(form.body());
        assertThat(fields.fieldNames()).toIterable()
                .contains(VAR_SLAS_CURRENT, VAR_ROLES_COMMUNICATED, VAR_STAFF_PREPARED, VAR_INFRASTRUCTURE_IN_PLACE, VAR_NOTES);
        assertThat(fields.get(VAR_SLAS_CURRENT).get("type").asText()).isEqualTo("Boolean");

        String answers = """
                {"variables": {
                  "slasCurrent": {"value": true, "type": "Boolean"},
                  "rolesCommunicated": {"value": true, "type": "Boolean"},
                  "staffPrepared": {"value": false, "type": "Boolean"},
                  "infrastructureInPlace": {"value": true, "type": "Boolean"},
                  "notes": {"value": "Two new hires not yet trained", "type": "String"}}}""";
        HttpResponse<String> refused = send("POST", "/engine-rest/task/" + taskId + "/submit-form", DBA, answers);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);

        HttpResponse<String> submitted = send("POST", "/engine-rest/task/" + taskId + "/submit-form", OPERATOR, answers);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(204);

        var management = engine.getManagementService();
        management.executeJob(management.createJobQuery().processInstanceId(processInstanceId).singleResult().getId());
        AuditAnswers stored = audits.find(processInstanceId).orElseThrow();
        assertThat(stored.reviewedBy()).isEqualTo("operator");
        assertThat(stored.staffPrepared()).isFalse();
        assertThat(stored.notes()).isEqualTo("Two new hires not yet trained");
        assertThat(engine.getTaskService().createTaskQuery().processInstanceId(processInstanceId).singleResult()
                .getTaskDefinitionKey()).isEqualTo(FOLLOW_UP_GAPS);
    }

    @Test
    void auditRequestWithAMalformedReviewDueDurationIsRefusedAndStartsNothing() throws Exception {
        HttpResponse<String> start = send("POST", "/engine-rest/process-definition/key/" + KEY + "/start", OPERATOR, """
                {"businessKey": "audit-rest-%s",
                 "variables": {"reviewDueAfter": {"value": "two weeks", "type": "String"}}}""".formatted(UUID.randomUUID()));

        // Checked before the engine sees the start: 400 naming the variable (the engine would answer 500).
        assertThat(start.statusCode()).isEqualTo(400);
        assertThat(json.readTree(start.body()).get("field").asText()).isEqualTo("variables.reviewDueAfter");
        assertThat(start.body()).contains("must be an ISO-8601 duration");
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(KEY)
                .variableValueEquals(VAR_REVIEW_DUE_AFTER, "two weeks").count()).isZero();
    }

    private HttpResponse<String> send(String method, String path, String credentials, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
