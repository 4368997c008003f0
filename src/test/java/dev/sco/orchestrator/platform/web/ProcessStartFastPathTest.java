package dev.sco.orchestrator.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.LatestDefinitions;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The process start fast path answers exactly as the engine REST API: every answer it gives is
 * compared, byte for byte (ids aside), with the REST API's answer to the same start, which a body
 * the fast path hands on ({@code withVariablesInReturn: false}, the REST API's default) forces.
 */
@OrchestratorTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessStartFastPathTest {

    private static final String DEMO = "demo:demo";
    private static final String OPERATOR = "operator:operator";
    private static final String DBA = "dba:dba";
    /** Makes the REST API itself answer: a field the fast path leaves to it, with the REST API's default value. */
    private static final String FORCE_REST_API = "\"withVariablesInReturn\": false";

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    FilterRegistrationBean<ProcessStartFastPath> registration;
    @Autowired
    LatestDefinitions definitions;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final String key = Api.unique("fastPathProbe").replace("-", "");
    private final String failingKey = Api.unique("fastPathFailing").replace("-", "");
    private final String suspendedKey = Api.unique("fastPathSuspended").replace("-", "");
    private final String group = Api.unique("fast-path");
    private final String noRead = Api.unique("fp-noread");
    private final String noCreate = Api.unique("fp-nocreate");
    private final List<String> deployments = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();

    @BeforeAll
    void deployAndGrant() {
        deploy(key, Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(1)
                .startEvent().userTask("Task_Wait").endEvent().done());
        // The first step fails synchronously: the start is answered with the engine's error.
        deploy(failingKey, Bpmn.createExecutableProcess(failingKey).camundaHistoryTimeToLive(1)
                .startEvent().serviceTask("Task_Fails").camundaExpression("${noSuchBean.call()}").endEvent().done());
        deploy(suspendedKey, Bpmn.createExecutableProcess(suspendedKey).camundaHistoryTimeToLive(1)
                .startEvent().userTask().endEvent().done());
        engine.getRepositoryService().suspendProcessDefinitionByKey(suspendedKey);

        IdentityService identity = engine.getIdentityService();
        Group g = identity.newGroup(group);
        g.setName("Fast path test group");
        identity.saveGroup(g);
        for (String id : List.of(noRead, noCreate)) {
            User user = identity.newUser(id);
            user.setPassword(id);
            identity.saveUser(user);
        }
        // Both may create process instances; one may start the probe but not read its definition,
        // the other may read it but not start it.
        grantUser(noRead, Resources.PROCESS_INSTANCE, "*", Permissions.CREATE);
        grantUser(noRead, Resources.PROCESS_DEFINITION, key, Permissions.CREATE_INSTANCE);
        grantUser(noCreate, Resources.PROCESS_INSTANCE, "*", Permissions.CREATE);
        grantUser(noCreate, Resources.PROCESS_DEFINITION, key, Permissions.READ);
        identity.createMembership(noRead, group);
        identity.createMembership(noCreate, group);
    }

    @AfterAll
    void removeAll() {
        AuthorizationService service = engine.getAuthorizationService();
        authorizations.forEach(service::deleteAuthorization);
        engine.getIdentityService().deleteUser(noRead);
        engine.getIdentityService().deleteUser(noCreate);
        engine.getIdentityService().deleteGroup(group);
        deployments.forEach(id -> engine.getRepositoryService().deleteDeployment(id, true));
    }

    @AfterEach
    void removeInstances() {
        for (String k : List.of(key, failingKey, suspendedKey)) {
            engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(k).list()
                    .forEach(p -> engine.getRuntimeService().deleteProcessInstance(p.getId(), "test over", true, true));
        }
    }

    @Test
    void aPlainStartIsAnsweredByTheFastPathWithTheRestApisAnswer() throws Exception {
        String variables = """
                "variables": {
                  "text": {"value": "hello", "type": "String"},
                  "flag": {"value": true, "type": "Boolean"},
                  "count": {"value": 42, "type": "Integer"},
                  "big": {"value": 5000000000, "type": "Long"},
                  "small": {"value": 7, "type": "short"},
                  "ratio": {"value": 1.5, "type": "Double"},
                  "nothing": {"value": null, "type": "Null"},
                  "untyped": {"value": "as sent"},
                  "untypedNumber": {"value": 12}
                }""";
        long before = served();
        HttpResponse<String> fast = start(DEMO, key, "{\"businessKey\": \"fast-1\", " + variables + "}");
        assertThat(served()).as("answered by the fast path").isEqualTo(before + 1);
        HttpResponse<String> rest = start(DEMO, key, "{\"businessKey\": \"fast-1\", " + variables + ", " + FORCE_REST_API + "}");
        assertThat(served()).as("the REST API's own answer").isEqualTo(before + 1);

        assertThat(fast.statusCode()).as(fast.body()).isEqualTo(200);
        assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
        assertThat(headers(fast)).isEqualTo(headers(rest));
        assertThat(fast.headers().firstValue("Content-Type")).hasValue("application/json");
        String fastId = json.readTree(fast.body()).get("id").asText();
        String restId = json.readTree(rest.body()).get("id").asText();
        assertThat(fastId).isNotEqualTo(restId);
        assertThat(fast.body().replace(fastId, "ID")).isEqualTo(rest.body().replace(restId, "ID"));
        JsonNode answer = json.readTree(fast.body());
        assertThat(answer.get("businessKey").asText()).isEqualTo("fast-1");
        assertThat(answer.at("/links/0/href").asText())
                .isEqualTo("http://localhost:" + port + "/engine-rest/process-instance/" + fastId);

        ProcessInstance instance = engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(fastId)
                .singleResult();
        assertThat(instance.getBusinessKey()).isEqualTo("fast-1");
        Map<String, Object> values = engine.getRuntimeService().getVariables(fastId);
        assertThat(values).isEqualTo(engine.getRuntimeService().getVariables(restId));
        assertThat(values).containsEntry("text", "hello").containsEntry("flag", true).containsEntry("count", 42)
                .containsEntry("big", 5000000000L).containsEntry("small", (short) 7).containsEntry("ratio", 1.5)
                .containsEntry("nothing", null).containsEntry("untyped", "as sent").containsEntry("untypedNumber", 12);
    }

    @Test
    void emptyBodiesAndACharsetAreStartsLikeAnyOther() throws Exception {
        long before = served();
        HttpResponse<String> empty = send(DEMO, key, "", "application/json");
        HttpResponse<String> object = send(DEMO, key, "{}", "application/json; charset=UTF-8");
        HttpResponse<String> nulls = send(DEMO, key, "{\"variables\": null, \"businessKey\": null}", "application/json");
        HttpResponse<String> rest = start(DEMO, key, "{" + FORCE_REST_API + "}");

        assertThat(served()).isEqualTo(before + 3);
        String restBody = rest.body().replace(json.readTree(rest.body()).get("id").asText(), "ID");
        for (HttpResponse<String> fast : List.of(empty, object, nulls)) {
            assertThat(fast.statusCode()).as(fast.body()).isEqualTo(200);
            assertThat(fast.body().replace(json.readTree(fast.body()).get("id").asText(), "ID")).isEqualTo(restBody);
        }
    }

    @Test
    void anUnknownKeyIsTheRestApis404() throws Exception {
        long before = served();
        long handedOnBefore = handedOn();
        HttpResponse<String> fast = start(DEMO, "noSuchProcess", "{}");
        HttpResponse<String> rest = start(DEMO, "noSuchProcess", "{" + FORCE_REST_API + "}");

        assertThat(fast.statusCode()).isEqualTo(404);
        assertSameAnswer(fast, rest);
        assertThat(fast.body()).contains("No matching process definition with key: noSuchProcess and no tenant-id");
        assertThat(served()).isEqualTo(before);
        assertThat(handedOn()).isEqualTo(handedOnBefore + 2);
    }

    @Test
    void aDefinitionTheCallerMayNotReadIsTheRestApis404() throws Exception {
        long before = served();
        long handedOnBefore = handedOn();
        HttpResponse<String> fast = start(noRead + ":" + noRead, key, "{}");
        HttpResponse<String> rest = start(noRead + ":" + noRead, key, "{" + FORCE_REST_API + "}");

        assertThat(fast.statusCode()).as(fast.body()).isEqualTo(404);
        assertSameAnswer(fast, rest);
        assertThat(served()).isEqualTo(before);
        assertThat(handedOn()).as("looked at, then handed on").isEqualTo(handedOnBefore + 2);
        assertThat(instances(key)).isZero();
    }

    @Test
    void aCallerWithoutCreateInstanceGetsTheRestApis403() throws Exception {
        long before = served();
        HttpResponse<String> fast = start(noCreate + ":" + noCreate, key, "{}");
        assertThat(served()).as("the start was attempted by the fast path").isEqualTo(before + 1);
        HttpResponse<String> rest = start(noCreate + ":" + noCreate, key, "{" + FORCE_REST_API + "}");

        assertThat(fast.statusCode()).as(fast.body()).isEqualTo(403);
        assertSameAnswer(fast, rest);
        JsonNode body = json.readTree(fast.body());
        assertThat(body.get("type").asText()).isEqualTo("AuthorizationException");
        assertThat(body.get("userId").asText()).isEqualTo(noCreate);
        assertThat(body.get("missingAuthorizations")).isNotEmpty();
        assertThat(instances(key)).isZero();
    }

    @Test
    void aSuspendedDefinitionIsTheRestApisAnswer() throws Exception {
        long before = served();
        long handedOnBefore = handedOn();
        HttpResponse<String> fast = start(DEMO, suspendedKey, "{}");
        HttpResponse<String> rest = start(DEMO, suspendedKey, "{" + FORCE_REST_API + "}");

        assertThat(fast.statusCode()).isEqualTo(rest.statusCode()).isGreaterThanOrEqualTo(400);
        assertSameAnswer(fast, rest);
        assertThat(fast.body()).contains("is suspended");
        assertThat(served()).isEqualTo(before);
        assertThat(handedOn()).isEqualTo(handedOnBefore + 2);
        assertThat(instances(suspendedKey)).isZero();
    }

    @Test
    void aStartThatFailsInTheEngineIsTheRestApis500() throws Exception {
        long before = served();
        HttpResponse<String> fast = start(DEMO, failingKey, "{\"businessKey\": \"fails\"}");
        assertThat(served()).isEqualTo(before + 1);
        HttpResponse<String> rest = start(DEMO, failingKey, "{\"businessKey\": \"fails\", " + FORCE_REST_API + "}");

        assertThat(fast.statusCode()).as(fast.body()).isEqualTo(500);
        assertThat(fast.body()).contains("Cannot instantiate process definition " + failingKey + ":");
        assertSameAnswer(fast, rest);
        assertThat(instances(failingKey)).isZero();
    }

    @Test
    void theProcessStartRailsStillApply() throws Exception {
        String audit = "continuityAuditProcess";
        long instancesBefore = instances(audit);
        long before = served();

        HttpResponse<String> notAccepted = start(OPERATOR, audit, """
                {"variables": {"mode": {"value": "unplanned", "type": "String"}}}""");
        HttpResponse<String> invalid = start(OPERATOR, audit, """
                {"variables": {"reviewDueAfter": {"value": "two weeks", "type": "String"}}}""");
        HttpResponse<String> notAllowed = start(DBA, audit, """
                {"variables": {"reviewDueAfter": {"value": "P3D", "type": "String"}}}""");
        HttpResponse<String> orchestratorOnly = start(DEMO, "hubTakeoverProcess", "{}");

        assertThat(notAccepted.statusCode()).as(notAccepted.body()).isEqualTo(400);
        assertThat(json.readTree(notAccepted.body()).get("field").asText()).isEqualTo("variables.mode");
        assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(400);
        assertThat(json.readTree(invalid.body()).get("field").asText()).isEqualTo("variables.reviewDueAfter");
        assertThat(notAllowed.statusCode()).as(notAllowed.body()).isEqualTo(403);
        assertThat(orchestratorOnly.statusCode()).as(orchestratorOnly.body()).isEqualTo(403);
        assertThat(served()).isEqualTo(before);
        assertThat(instances(audit)).isEqualTo(instancesBefore);

        HttpResponse<String> allowed = start(OPERATOR, audit, """
                {"businessKey": "fast-audit", "variables": {"reviewDueAfter": {"value": "P3D", "type": "String"}}}""");
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        String id = json.readTree(allowed.body()).get("id").asText();
        try {
            assertThat(served()).as("answered by the fast path after the rails").isEqualTo(before + 1);
            assertThat(instances(audit)).isEqualTo(instancesBefore + 1);
            assertThat(engine.getRuntimeService().getVariable(id, "reviewDueAfter")).isEqualTo("P3D");
            assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(id).singleResult()
                    .getBusinessKey()).isEqualTo("fast-audit");
        } finally {
            engine.getRuntimeService().deleteProcessInstance(id, "test over", true, true);
        }
    }

    @Test
    void aStartTheFastPathHandsOnKeepsItsBody() throws Exception {
        long before = served();
        long handedOnBefore = handedOn();
        HttpResponse<String> dated = start(DEMO, key, """
                {"businessKey": "dated", "variables": {
                  "when": {"value": "2026-01-02T03:04:05.000+0000", "type": "Date"},
                  "count": {"value": "12", "type": "Integer"},
                  "note": {"value": "kept", "type": "String", "valueInfo": {}}}}""");

        assertThat(dated.statusCode()).as(dated.body()).isEqualTo(200);
        assertThat(served()).isEqualTo(before);
        assertThat(handedOn()).as("handed on to the REST API").isEqualTo(handedOnBefore + 1);
        String id = json.readTree(dated.body()).get("id").asText();
        SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        assertThat(engine.getRuntimeService().getVariable(id, "when"))
                .isEqualTo(format.parse("2026-01-02T03:04:05.000+0000"));
        assertThat(engine.getRuntimeService().getVariable(id, "count")).isEqualTo(12);
        assertThat(engine.getRuntimeService().getVariable(id, "note")).isEqualTo("kept");
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(id).singleResult()
                .getBusinessKey()).isEqualTo("dated");
    }

    @Test
    void malformedJsonIsTheRestApisAnswer() throws Exception {
        long before = served();
        long handedOnBefore = handedOn();
        HttpResponse<String> malformed = start(DEMO, key, "{\"businessKey\": ");
        HttpResponse<String> notAnObject = start(DEMO, key, "[]");

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(notAnObject.statusCode()).isEqualTo(400);
        assertThat(served()).isEqualTo(before);
        assertThat(handedOn()).isEqualTo(handedOnBefore + 2);
        assertThat(instances(key)).isZero();
    }

    @Test
    void anUnauthenticatedStartIsRefusedBeforeTheFastPath() throws Exception {
        long before = served();
        long handedOnBefore = handedOn();
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri(key))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(served()).isEqualTo(before);
        assertThat(handedOn()).as("the fast path never saw it").isEqualTo(handedOnBefore);
        assertThat(instances(key)).isZero();
    }

    @Test
    void aLargeChunkedBodyIsHandedOnWhole() throws Exception {
        long before = served();
        long handedOnBefore = handedOn();
        // Larger than the fast path reads, sent without a length: handed on with the part already read.
        byte[] body = ("{\"businessKey\": \"large\"" + " ".repeat((1 << 20) + 100) + "}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(uri(key))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(DEMO.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();
        HttpResponse<String> large = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(large.statusCode()).as(large.body()).isEqualTo(200);
        assertThat(served()).isEqualTo(before);
        assertThat(handedOn()).isEqualTo(handedOnBefore + 1);
        assertThat(engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(json.readTree(large.body()).get("id").asText()).singleResult().getBusinessKey())
                .isEqualTo("large");
    }

    @Test
    void aCallerThatTakesNoJsonGetsTheRestApisAnswer() throws Exception {
        long before = served();
        HttpResponse<String> xml = http.send(HttpRequest.newBuilder(uri(key))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(DEMO.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").header("Accept", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(xml.statusCode()).isEqualTo(406);
        assertThat(served()).isEqualTo(before);
        assertThat(instances(key)).isZero();
    }

    @Test
    void onlyCallersTakingJsonAreServed() {
        assertThat(ProcessStartFastPath.acceptsJson(null)).isTrue();
        assertThat(ProcessStartFastPath.acceptsJson("*/*")).isTrue();
        assertThat(ProcessStartFastPath.acceptsJson("application/json, text/plain, */*")).isTrue();
        assertThat(ProcessStartFastPath.acceptsJson("application/*;q=0.5")).isTrue();
        assertThat(ProcessStartFastPath.acceptsJson("application/xml")).isFalse();
        assertThat(ProcessStartFastPath.acceptsJson("application/json;q=0")).isFalse();
        assertThat(ProcessStartFastPath.acceptsJson("not a type")).isFalse();
    }

    @Test
    void onlyPlainJsonContentIsServed() {
        assertThat(ProcessStartFastPath.jsonContent("application/json")).isTrue();
        assertThat(ProcessStartFastPath.jsonContent("application/json;charset=utf-8")).isTrue();
        assertThat(ProcessStartFastPath.jsonContent("Application/JSON; charset=\"UTF-8\"")).isTrue();
        assertThat(ProcessStartFastPath.jsonContent("application/json; charset=ISO-8859-1")).isFalse();
        assertThat(ProcessStartFastPath.jsonContent("application/hal+json")).isFalse();
        assertThat(ProcessStartFastPath.jsonContent("text/plain")).isFalse();
        assertThat(ProcessStartFastPath.jsonContent(null)).isFalse();
        assertThat(ProcessStartFastPath.jsonContent("application/")).isFalse();
    }

    @Test
    void aNewVersionDeployedHereIsStartedRightAway() throws Exception {
        String versioned = Api.unique("fastPathVersioned").replace("-", "");
        deploy(versioned, Bpmn.createExecutableProcess(versioned).camundaHistoryTimeToLive(1)
                .startEvent().userTask("Task_V1").endEvent().done());
        HttpResponse<String> first = start(DEMO, versioned, "{}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(definitionOf(first)).isEqualTo(latestId(versioned));

        deploy(versioned, Bpmn.createExecutableProcess(versioned).camundaHistoryTimeToLive(1)
                .startEvent().userTask("Task_V2").endEvent().done());
        long servedBefore = served();
        HttpResponse<String> second = start(DEMO, versioned, "{}");

        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(served()).isEqualTo(servedBefore + 1);
        assertThat(definitionOf(second)).isEqualTo(latestId(versioned)).isNotEqualTo(definitionOf(first));
        engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(versioned).list()
                .forEach(p -> engine.getRuntimeService().deleteProcessInstance(p.getId(), "test over", true, true));
    }

    @Test
    void aDefinitionChangedWithSqlIsSeenWhenItsNotificationArrives() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(definitions::active);
        assertThat(start(DEMO, key, "{}").statusCode()).isEqualTo(200);
        long servedBefore = served();
        assertThat(start(DEMO, key, "{}").statusCode()).isEqualTo(200);
        assertThat(served()).as("remembered definition started by the fast path").isEqualTo(servedBefore + 1);

        // As another node (or a DBA) would: the definition suspended outside this node's engine.
        jdbc.sql("update act_re_procdef set suspension_state_ = 2 where key_ = ?").param(key).update();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                long handed = handedOn();
                start(DEMO, key, "{}");
                return handedOn() == handed + 1;
            });
        } finally {
            jdbc.sql("update act_re_procdef set suspension_state_ = 1 where key_ = ?").param(key).update();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            long before = served();
            return start(DEMO, key, "{}").statusCode() == 200 && served() == before + 1;
        });
    }

    private String definitionOf(HttpResponse<String> answer) throws Exception {
        return json.readTree(answer.body()).get("definitionId").asText();
    }

    private String latestId(String processKey) {
        return engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(processKey)
                .latestVersion().singleResult().getId();
    }

    private void assertSameAnswer(HttpResponse<String> fast, HttpResponse<String> rest) {
        assertThat(fast.statusCode()).as(fast.body()).isEqualTo(rest.statusCode());
        assertThat(headers(fast)).isEqualTo(headers(rest));
        assertThat(fast.body()).isEqualTo(rest.body());
    }

    /** The answer's headers but the date. */
    private static Map<String, List<String>> headers(HttpResponse<String> response) {
        Map<String, List<String>> headers = new java.util.TreeMap<>(response.headers().map());
        headers.remove("date");
        return headers;
    }

    private long served() {
        return registration.getFilter().served();
    }

    private long handedOn() {
        return registration.getFilter().handedOn();
    }

    private long instances(String processKey) {
        return engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(processKey).count();
    }

    private HttpResponse<String> start(String credentials, String processKey, String body) throws Exception {
        return send(credentials, processKey, body, "application/json");
    }

    private HttpResponse<String> send(String credentials, String processKey, String body, String contentType)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(processKey))
                .header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String processKey) {
        return URI.create("http://localhost:" + port + "/engine-rest/process-definition/key/" + processKey + "/start");
    }

    private void deploy(String processKey, org.camunda.bpm.model.bpmn.BpmnModelInstance model) {
        deployments.add(engine.getRepositoryService().createDeployment().addModelInstance(processKey + ".bpmn", model)
                .deploy().getId());
    }

    private void grantUser(String userId, Resource resource, String resourceId, Permission permission) {
        AuthorizationService service = engine.getAuthorizationService();
        Authorization authorization = service.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        authorization.setUserId(userId);
        authorization.setResource(resource);
        authorization.setResourceId(resourceId);
        authorization.addPermission(permission);
        authorizations.add(service.saveAuthorization(authorization).getId());
    }
}
