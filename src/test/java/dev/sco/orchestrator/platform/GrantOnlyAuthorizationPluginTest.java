package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The engine evaluates GRANTs only and skips its group pre-filter read: no REVOKE can be saved or
 * be present at start-up (so none is ever ignored), and the answers are those of the stock checks.
 */
@OrchestratorTest
class GrantOnlyAuthorizationPluginTest {

    private static final String ADMIN = "admin:admin-test-password-1";

    @LocalServerPort
    int port;

    @Autowired
    ProcessEngine engine;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    GrantOnlyAuthorizationPlugin plugin;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void engineNeverLooksForRevokes() {
        assertThat(((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getAuthorizationCheckRevokes())
                .isEqualTo(ProcessEngineConfiguration.AUTHORIZATION_CHECK_REVOKE_NEVER);
    }

    @Test
    void revokeIsRefusedOverEngineRestAndNothingIsSaved() throws Exception {
        String body = """
                {"type": 2, "permissions": ["READ"], "groupId": "operators", "resourceType": 6, "resourceId": "*"}
                """;
        HttpResponse<String> answer = post("/engine-rest/authorization/create", ADMIN, body);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("REVOKE authorizations are not supported");
        assertThat(revokes()).isZero();
    }

    @Test
    void revokeIsRefusedThroughTheJavaApiEvenForTheOrchestratorItself() {
        AuthorizationService authorizations = engine.getAuthorizationService();
        Authorization revoke = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_REVOKE);
        revoke.setGroupId(Groups.OPERATORS);
        revoke.setResource(Resources.PROCESS_DEFINITION);
        revoke.setResourceId("*");
        revoke.addPermission(Permissions.READ);

        assertThatThrownBy(() -> authorizations.saveAuthorization(revoke))
                .isInstanceOf(BadUserRequestException.class)
                .hasMessageContaining("group 'operators'");
        assertThat(revokes()).isZero();
    }

    @Test
    void aGroupWithoutAuthorizationsChangesNoAnswer() {
        IdentityService identity = engine.getIdentityService();
        AuthorizationService authorizations = engine.getAuthorizationService();
        String emptyGroup = "perf-no-rights";
        if (identity.createGroupQuery().groupId(emptyGroup).count() == 0) {
            identity.saveGroup(identity.newGroup(emptyGroup));
        }
        // The engine grants a new group READ on itself; without it the group holds no row at all.
        authorizations.createAuthorizationQuery().groupIdIn(emptyGroup).list()
                .forEach(a -> authorizations.deleteAuthorization(a.getId()));
        String user = "perf-checker";

        for (List<String> groups : List.of(List.of(Groups.OPERATORS), List.of(Groups.OPERATORS, emptyGroup),
                List.of(emptyGroup, Groups.OPERATORS))) {
            assertThat(authorizations.isUserAuthorized(user, groups, ProcessDefinitionPermissions.READ,
                    Resources.PROCESS_DEFINITION, "anyProcess")).as("READ with %s", groups).isTrue();
            assertThat(authorizations.isUserAuthorized(user, groups, Permissions.CREATE, Resources.DEPLOYMENT))
                    .as("deploy with %s", groups).isFalse();
        }
        assertThat(authorizations.isUserAuthorized(user, List.of(emptyGroup), ProcessDefinitionPermissions.READ,
                Resources.PROCESS_DEFINITION, "anyProcess")).isFalse();
        assertThat(authorizations.isUserAuthorized(user, List.of(emptyGroup, Groups.ADMIN), Permissions.CREATE,
                Resources.DEPLOYMENT)).isTrue();
    }

    @Test
    void startUpStopsWhenTheDatabaseHoldsARevoke() {
        jdbc.sql("""
                insert into act_ru_authorization (id_, rev_, type_, group_id_, resource_type_, resource_id_, perms_)
                values ('perf-test-revoke', 1, 2, 'operators', 6, '*', 2)""").update();
        try {
            assertThatThrownBy(() -> plugin.postProcessEngineBuild(engine))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("1 REVOKE authorization(s)");
        } finally {
            jdbc.sql("delete from act_ru_authorization where id_ = 'perf-test-revoke'").update();
        }
        plugin.postProcessEngineBuild(engine);
    }

    private long revokes() {
        return engine.getAuthorizationService().createAuthorizationQuery()
                .authorizationType(Authorization.AUTH_TYPE_REVOKE).count();
    }

    private HttpResponse<String> post(String path, String credentials, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
