package dev.sco.orchestrator.dbfailover;

import static dev.sco.orchestrator.Api.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The safety rails of the engine side, driven over HTTP as each group and as nobody, the way an
 * attacker or a careless user would try them: starting a process at an inner step, starting it
 * without its variables, modifying a running instance, approving one's own failover, spoofing the
 * assignee, overwriting steering variables while completing a task. Every probe must answer 4xx,
 * never 5xx, and leave nothing behind.
 */
@OrchestratorTest
class SafetyRailsTest {

    private static final List<String> WORKING_GROUPS = List.of(Api.DBA, Api.OPERATOR, Api.MID_ADMIN);

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;

    private FailoverEstate estate;

    @AfterEach
    void cleanUp() {
        if (estate != null) {
            engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(DatabaseFailoverProcess.KEY)
                    .variableValueEquals(DatabaseFailoverProcess.VAR_DATABASE, estate.primary).list()
                    .forEach(pi -> engine.getRuntimeService().deleteProcessInstance(pi.getId(), "test over"));
            estate.close();
            estate = null;
        }
    }

    /** Each process with the inner step an attacker would start it at. */
    static Stream<Arguments> innerSteps() {
        Stream<String[]> steps = Stream.of(
                new String[] {"databaseFailoverProcess", "ServiceTask_FenceOldPrimary"},
                new String[] {"databaseRestorationProcess", "ServiceTask_CopyBackToPrimary"},
                new String[] {"syncRecoveryProcess", "ServiceTask_FullResync"},
                new String[] {"serverFailoverProcess", "ServiceTask_MoveSitesAndJobs"},
                new String[] {"hubTakeoverProcess", "ServiceTask_EmitMasterReset"},
                new String[] {"postCloneCheckProcess", "ServiceTask_FirstCheck"},
                new String[] {"agentIssueProcess", "ServiceTask_RecheckAgent"},
                new String[] {"continuityAuditProcess", "ServiceTask_RecordAuditAnswers"});
        return steps.flatMap(s -> WORKING_GROUPS.stream().map(g -> Arguments.of(s[0], s[1], g)));
    }

    @ParameterizedTest(name = "{2} starting {0} at {1}")
    @MethodSource("innerSteps")
    void noWorkingGroupStartsAProcessAtAnInnerStep(String key, String activity, String credentials) {
        long before = instances(key);

        Api.Response atStep = api(credentials).post(start(key), """
                {"startInstructions": [{"type": "startBeforeActivity", "activityId": "%s"}]}""".formatted(activity));
        Api.Response skipping = api(credentials).post(start(key), "{\"skipCustomListeners\": true}");

        assertThat(atStep.status()).as("%s", atStep).isEqualTo(403);
        assertThat(skipping.status()).as("%s", skipping).isEqualTo(403);
        assertThat(instances(key)).isEqualTo(before);
    }

    @Test
    void theEngineItselfRefusesAnInnerStartOnBehalfOfAUserWhateverTheEntrance() {
        engine.getIdentityService().setAuthentication("dba", List.of("dba"));
        try {
            assertThatThrownBy(() -> engine.getRuntimeService().createProcessInstanceByKey(DatabaseFailoverProcess.KEY)
                    .startBeforeActivity(DatabaseFailoverProcess.FENCE).execute())
                    .isInstanceOf(AuthorizationException.class).hasMessageContaining("inner activity");
        } finally {
            engine.getIdentityService().clearAuthentication();
        }
    }

    /** Processes a person may start, with the group allowed to, and the first variable they need. */
    static Stream<Arguments> startsByHand() {
        return Stream.of(
                Arguments.of("databaseFailoverProcess", Api.DBA, "variables.database"),
                Arguments.of("databaseFailoverProcess", Api.OPERATOR, "variables.database"),
                Arguments.of("databaseRestorationProcess", Api.DBA, "variables.database"),
                Arguments.of("syncRecoveryProcess", Api.DBA, "variables.database"),
                Arguments.of("serverFailoverProcess", Api.MID_ADMIN, "variables.server"),
                Arguments.of("postCloneCheckProcess", Api.OPERATOR, "variables.cloneId"));
    }

    @ParameterizedTest(name = "{1} starting {0} without variables")
    @MethodSource("startsByHand")
    void everyStartWithoutItsVariablesIsRefusedNamingTheVariableAndCreatesNothing(String key, String credentials,
                                                                                  String field) {
        long before = instances(key);

        assertProblem(api(credentials).post(start(key), "{}"), 400, field);
        assertProblem(api(credentials).post(start(key), "null"), 400, "body");
        assertProblem(api(credentials).post(start(key), "[1]"), 400, "body");
        assertProblem(api(credentials).post(start(key), "{\"variables\": {\"operationId\": {\"value\": 1, "
                + "\"type\": \"Long\"}}}"), 400, "variables.operationId");

        assertThat(instances(key)).isEqualTo(before);
    }

    @Test
    void groupsStartOnlyTheProcessesListedForThemAndNobodyStartsTheOrchestratorsOwn() {
        assertThat(api(Api.MID_ADMIN).post(start("databaseFailoverProcess"), "{}").status()).isEqualTo(403);
        assertThat(api(Api.OPERATOR).post(start("databaseRestorationProcess"), "{}").status()).isEqualTo(403);
        assertThat(api(Api.DBA).post(start("serverFailoverProcess"), "{}").status()).isEqualTo(403);
        assertThat(api(Api.DEMO).post(start("hubTakeoverProcess"), "{}").status()).isEqualTo(403);
        assertThat(api(Api.DEMO).post(start("agentIssueProcess"), "{}").status()).isEqualTo(403);
        assertThat(api(null).post(start("databaseFailoverProcess"), "{}").status()).isEqualTo(401);
        assertThat(instances("hubTakeoverProcess") + instances("agentIssueProcess")).isZero();
    }

    @Test
    void aHealthyServerIsNotFailedOverByHand() {
        String server = Api.unique("healthy");
        Api admin = api(Api.DEMO);
        assertThat(admin.put("/api/servers/" + server, """
                {"kind": "management", "site": "east", "unresponsivePeriodSeconds": 300}""").status()).isIn(200, 201);
        assertThat(admin.post("/api/servers/" + server + "/heartbeat").status()).isEqualTo(204);

        Api.Response refused = api(Api.MID_ADMIN).post(start("serverFailoverProcess"), """
                {"variables": {"server": {"value": "%s", "type": "String"}}}""".formatted(server));

        assertProblem(refused, 409, "variables.server");
        assertThat(jdbc.sql("select count(*) from server_outage where server = ?").param(server).query(Long.class)
                .single()).isZero();
    }

    @Test
    void runningInstancesCannotBeModifiedRestartedOrMigratedByAWorkingGroup() {
        Api operator = api(Api.OPERATOR);
        Api.Response audit = operator.post(start("continuityAuditProcess"), "{}");
        assertThat(audit.status()).as("%s", audit).isEqualTo(200);
        String id = audit.text("id");
        String definition = audit.text("definitionId");
        try {
            Api.Response modified = operator.post("/engine-rest/process-instance/" + id + "/modification", """
                    {"instructions": [{"type": "startBeforeActivity", "activityId": "ServiceTask_RecordAuditAnswers"}]}""");
            Api.Response restarted = operator.post("/engine-rest/process-definition/" + definition + "/restart", """
                    {"processInstanceIds": ["%s"], "instructions": [{"type": "startAfterActivity",
                     "activityId": "StartEvent_AuditDue"}]}""".formatted(id));
            Api.Response migrated = operator.post("/engine-rest/migration/execute", """
                    {"migrationPlan": {"sourceProcessDefinitionId": "%s", "targetProcessDefinitionId": "%s",
                     "instructions": []}, "processInstanceIds": ["%s"]}""".formatted(definition, definition, id));

            assertThat(modified.status()).as("%s", modified).isEqualTo(403);
            assertThat(restarted.status()).as("%s", restarted).isEqualTo(403);
            assertThat(migrated.status()).as("%s", migrated).isEqualTo(403);
            assertThat(engine.getRuntimeService().createExecutionQuery().processInstanceId(id)
                    .activityId("ServiceTask_RecordAuditAnswers").count()).isZero();
        } finally {
            engine.getRuntimeService().deleteProcessInstance(id, "test over");
        }
    }

    @Test
    void anAdministratorStartingAFailoverAtTheFenceFencesNothing() throws Exception {
        estate = new FailoverEstate(jdbc);
        Api.Response started = api(Api.DEMO).post(start(DatabaseFailoverProcess.KEY), """
                {"variables": {"database": {"value": "%s", "type": "String"},
                               "mode": {"value": "unplanned", "type": "String"},
                               "reason": {"value": "inner start", "type": "String"}},
                 "startInstructions": [{"type": "startBeforeActivity", "activityId": "%s"}]}"""
                .formatted(estate.primary, DatabaseFailoverProcess.FENCE));
        assertThat(started.status()).as("%s", started).isEqualTo(200);

        Job fence = engine.getManagementService().createJobQuery().processInstanceId(started.text("id")).singleResult();
        assertThatThrownBy(() -> engine.getManagementService().executeJob(fence.getId()))
                .hasMessageContaining("has no continuity operation");

        estate.writeOnPrimary();
        assertThat(jdbc.sql("select count(*) from operation_step where process_instance_id = ?")
                .param(started.text("id")).query(Long.class).single()).isZero();
    }

    @Test
    void theRequesterCannotApproveTheirOwnFailoverAndAnotherDbaCan() throws Exception {
        estate = new FailoverEstate(jdbc);
        ProcessInstance failover = requestFailover(Api.DBA);
        Task approval = task(failover);

        Api.Response own = approve(Api.DBA, approval, "\"approved\": {\"value\": true, \"type\": \"Boolean\"}");

        assertThat(own.status()).as("%s", own).isEqualTo(403);
        assertThat(operation(failover).state()).isEqualTo(ContinuityOperation.REQUESTED);
        Api.Response other = approve(Api.DEMO, approval, "\"approved\": {\"value\": true, \"type\": \"Boolean\"}");
        assertThat(other.status()).as("%s", other).isEqualTo(204);
        assertThat(operation(failover).approvedBy()).isEqualTo("demo");
    }

    @Test
    void theApproverIsTheAuthenticatedUserNotTheAssigneeAnyCandidateCanSet() throws Exception {
        estate = new FailoverEstate(jdbc);
        ProcessInstance failover = requestFailover(Api.OPERATOR);
        Task approval = task(failover);
        assertThat(api(Api.DBA).post("/engine-rest/task/" + approval.getId() + "/assignee",
                "{\"userId\": \"someone-else\"}").status()).isEqualTo(204);

        Api.Response approved = approve(Api.DBA, approval, "\"approved\": {\"value\": true, \"type\": \"Boolean\"}");

        assertThat(approved.status()).as("%s", approved).isEqualTo(204);
        assertThat(operation(failover).approvedBy()).isEqualTo("dba");
    }

    @Test
    void completingAnApprovalCannotChangeSteeringVariables() throws Exception {
        estate = new FailoverEstate(jdbc);
        ProcessInstance failover = requestFailover(Api.OPERATOR);
        Task approval = task(failover);

        Api.Response mode = approve(Api.DBA, approval, "\"approved\": {\"value\": true, \"type\": \"Boolean\"}, "
                + "\"mode\": {\"value\": \"drill\", \"type\": \"String\"}");
        Api.Response operation = approve(Api.DBA, approval, "\"approved\": {\"value\": true, \"type\": \"Boolean\"}, "
                + "\"operationId\": {\"value\": 1, \"type\": \"Long\"}");
        Api.Response direct = api(Api.DBA).put("/engine-rest/task/" + approval.getId() + "/variables/mode",
                "{\"value\": \"drill\", \"type\": \"String\"}");

        assertThat(mode.status()).as("%s", mode).isEqualTo(400);
        assertThat(mode.toString()).contains("mode");
        assertThat(operation.status()).as("%s", operation).isEqualTo(400);
        assertThat(direct.status()).as("%s", direct).isEqualTo(403);
        assertThat(engine.getRuntimeService().getVariable(failover.getId(), DatabaseFailoverProcess.VAR_MODE))
                .isEqualTo("unplanned");
        assertThat(operation(failover).state()).isEqualTo(ContinuityOperation.REQUESTED);
    }

    /**
     * One request per attack on the other rails, as the attacker would send it; each must answer
     * the status shown (never 5xx). What each leaves behind is checked in the rail's own test
     * (named in the row).
     */
    static Stream<Arguments> attacks() {
        String register = "{\"jdbcUrl\": \"%s\", \"username\": \"app\", \"passwordEnv\": \"%s\", "
                + "\"role\": \"primary\"}";
        return Stream.of(
                Arguments.of("passwordEnv naming the orchestrator's own password (DatabaseEndpointApiTest)", Api.DBA,
                        "PUT", "/api/databases/" + Api.unique("stolen"),
                        register.formatted("jdbc:postgresql://localhost:5432/app", "ORCHESTRATOR_DB_PASSWORD"),
                        null, 400),
                Arguments.of("URL parameter overriding the socket timeout (DatabaseEndpointApiTest)", Api.DBA, "PUT",
                        "/api/databases/" + Api.unique("slow"), register.formatted(
                                "jdbc:postgresql://localhost:5432/app?socketTimeout=0", "ORCHESTRATOR_TARGET_X"),
                        null, 400),
                Arguments.of("URL parameter turning off certificate checks (DatabaseEndpointApiTest)", Api.DBA, "PUT",
                        "/api/databases/" + Api.unique("tls"), register.formatted(
                                "jdbc:postgresql://localhost:5432/app?sslfactory=org.postgresql.ssl.NonValidatingFactory",
                                "ORCHESTRATOR_TARGET_X"),
                        null, 400),
                Arguments.of("unbounded engine query (RequestLimitsTest)", Api.OPERATOR, "GET",
                        "/engine-rest/task?maxResults=2147483647", null, null, 400),
                Arguments.of("write from a foreign Origin (RequestLimitsTest)", Api.DBA, "POST", "/api/failovers",
                        "{}", "https://evil.example", 403),
                Arguments.of("write that is not JSON (RequestLimitsTest)", Api.DBA, "POST", "/api/failovers",
                        null, null, 415),
                Arguments.of("heartbeat sender... is nobody without credentials", null, "POST", "/api/heartbeats",
                        "[]", null, 401),
                Arguments.of("database registration by a group that may not", Api.MID_ADMIN, "PUT",
                        "/api/databases/" + Api.unique("mid"),
                        register.formatted("jdbc:postgresql://localhost:5432/app", "ORCHESTRATOR_TARGET_X"), null, 403));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void everyAttackOnTheOtherRailsIsRefusedWithA4xx(String attack, String credentials, String method, String path,
                                                     String body, String origin, int status) {
        var request = new Api(port).as(credentials).request(path);
        if (origin != null) {
            request.header("Origin", origin);
        }
        if (body == null && !"GET".equals(method)) {
            request.header("Content-Type", "text/plain").method(method,
                    java.net.http.HttpRequest.BodyPublishers.ofString("database=demo-primary"));
        } else if (body != null) {
            request.header("Content-Type", "application/json").method(method,
                    java.net.http.HttpRequest.BodyPublishers.ofString(body));
        }

        Api.Response response = new Api(port).send(request);

        assertThat(response.status()).as("%s: %s", attack, response).isEqualTo(status);
    }

    @Test
    void anonymousHealthSaysTheStatusAndNothingElse() {
        Api.Response health = api(null).get("/actuator/health");

        assertThat(health.status()).isEqualTo(200);
        // The status, and the names of the probe groups (liveness, readiness): no component, no detail.
        assertThat(health.body().fieldNames()).toIterable().containsOnly("status", "groups");
        assertThat(health.toString()).doesNotContain("components", "targets", "demo-primary", "jdbc", "postgres");
    }

    private ProcessInstance requestFailover(String credentials) {
        Api.Response requested = api(credentials).post("/api/failovers", "{\"database\":\"" + estate.primary
                + "\",\"mode\":\"unplanned\",\"reason\":\"rails test\"}");
        assertThat(requested.status()).as("%s", requested).isEqualTo(201);
        ProcessInstance failover = engine.getRuntimeService().createProcessInstanceQuery()
                .processInstanceId(requested.text("processInstanceId")).singleResult();
        new ProcessJobs(engine, longSteps).run(failover);
        return failover;
    }

    private Api.Response approve(String credentials, Task task, String variables) {
        return api(credentials).post("/engine-rest/task/" + task.getId() + "/submit-form",
                "{\"variables\": {" + variables + "}}");
    }

    private ContinuityOperation operation(ProcessInstance instance) {
        return jdbc.sql("select id from continuity_operation where process_instance_id = ?").param(instance.getId())
                .query(Long.class).optional()
                .map(id -> new FailoverRepository(jdbc, null).find(id).orElseThrow()).orElseThrow();
    }

    private Task task(ProcessInstance instance) {
        return engine.getTaskService().createTaskQuery().processInstanceId(instance.getId()).singleResult();
    }

    private long instances(String key) {
        return engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(key).count();
    }

    private static String start(String key) {
        return "/engine-rest/process-definition/key/" + key + "/start";
    }

    private Api api(String credentials) {
        return new Api(port).as(credentials);
    }
}
