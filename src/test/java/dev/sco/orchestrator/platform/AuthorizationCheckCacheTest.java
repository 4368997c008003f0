package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import dev.sco.orchestrator.OrchestratorTest;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.authorization.TaskPermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Permission checks are answered from memory while the authorization table is unchanged, and never
 * after it changed: through the engine at once, by any other writer as soon as PostgreSQL's
 * notification arrives, and not at all while the node cannot listen for those notifications.
 */
@OrchestratorTest
class AuthorizationCheckCacheTest {

    private static final String USER = "cache-checker";
    private static final String GROUP = "cache-test-group";
    private static final String PROCESS = "cacheTestProcess";
    private static final Duration NOTIFIED = Duration.ofSeconds(10);

    @Autowired
    ProcessEngine engine;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    AuthorizationCheckCache cache;

    @Autowired
    EngineChangeListener listener;

    private AuthorizationService authorizations;

    @BeforeEach
    void listening() {
        authorizations = engine.getAuthorizationService();
        await().atMost(NOTIFIED).until(cache::active);
    }

    @AfterEach
    void removeGrants() {
        jdbc.sql("delete from act_ru_authorization where group_id_ = ? or resource_id_ = ?")
                .params(GROUP, PROCESS).update();
    }

    @Test
    void anAnswerIsRememberedUntilTheTableChanges() {
        // Granted without a notification, so that none arrives later to clear the answer read now.
        withoutTriggers("insert into act_ru_authorization (id_, rev_, type_, group_id_, resource_type_, resource_id_, "
                + "perms_) values ('cache-test-grant', 1, 1, '" + GROUP + "', 6, '" + PROCESS + "', 2)");
        assertThat(mayRead()).isTrue();

        // A write the trigger does not see (replica mode): the table changed behind the cache's back.
        withoutTriggers("delete from act_ru_authorization where group_id_ = '" + GROUP + "'");
        assertThat(mayRead()).as("answered from memory").isTrue();

        // Any other change that the trigger sees clears every remembered answer.
        jdbc.sql("""
                insert into act_ru_authorization (id_, rev_, type_, user_id_, resource_type_, resource_id_, perms_)
                values ('cache-test-unrelated', 1, 1, 'someone-else', 6, ?, 2)""").param(PROCESS).update();
        await().atMost(NOTIFIED).until(() -> !mayRead());
    }

    @Test
    void aGrantDeletedThroughTheEngineIsGoneAtOnce() {
        Authorization grant = grantRead();
        assertThat(mayRead()).isTrue();

        authorizations.deleteAuthorization(grant.getId());

        assertThat(mayRead()).isFalse();
    }

    @Test
    void aGrantDeletedWithSqlByAnotherWriterIsGoneWhenItsNotificationArrives() {
        grantRead();
        assertThat(mayRead()).isTrue();

        jdbc.sql("delete from act_ru_authorization where group_id_ = ?").param(GROUP).update();

        await().atMost(NOTIFIED).until(() -> !mayRead());
    }

    @Test
    void aNewGrantIsSeenToo() {
        assertThat(mayRead()).isFalse();
        grantRead();
        assertThat(mayRead()).isTrue();
    }

    @Test
    void answersAreKeptPerUserGroupsResourceAndPermission() {
        grantRead();
        assertThat(mayRead()).isTrue();
        assertThat(authorizations.isUserAuthorized(USER, List.of("cache-other-group"),
                ProcessDefinitionPermissions.READ, Resources.PROCESS_DEFINITION, PROCESS)).isFalse();
        assertThat(authorizations.isUserAuthorized(USER, List.of(GROUP),
                ProcessDefinitionPermissions.CREATE_INSTANCE, Resources.PROCESS_DEFINITION, PROCESS)).isFalse();
        assertThat(authorizations.isUserAuthorized(USER, List.of(GROUP),
                ProcessDefinitionPermissions.READ, Resources.PROCESS_DEFINITION, "anotherProcess")).isFalse();
        assertThat(authorizations.isUserAuthorized(USER, List.of(GROUP),
                TaskPermissions.READ, Resources.TASK, PROCESS)).isFalse();
        assertThat(mayRead()).isTrue();
    }

    @Test
    void whileTheListeningConnectionIsLostEveryCheckAsksTheDatabase() throws Exception {
        grantRead();
        assertThat(mayRead()).isTrue();
        Integer backend = listener.listeningBackend();
        assertThat(backend).isNotNull();

        jdbc.sql("select pg_terminate_backend(?)").param(backend).query(Boolean.class).single();
        await().atMost(NOTIFIED).until(() -> !cache.active());
        withoutTriggers("delete from act_ru_authorization where group_id_ = '" + GROUP + "'");

        assertThat(mayRead()).as("not answered from memory").isFalse();
        await().atMost(NOTIFIED).until(cache::active);
        assertThat(listener.listeningBackend()).isNotEqualTo(backend);
        grantRead();
        assertThat(mayRead()).isTrue();
    }

    private Authorization grantRead() {
        Authorization grant = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        grant.setGroupId(GROUP);
        grant.setResource(Resources.PROCESS_DEFINITION);
        grant.setResourceId(PROCESS);
        grant.addPermission(Permissions.READ);
        return authorizations.saveAuthorization(grant);
    }

    private boolean mayRead() {
        return authorizations.isUserAuthorized(USER, List.of(GROUP), ProcessDefinitionPermissions.READ,
                Resources.PROCESS_DEFINITION, PROCESS);
    }

    /** A statement in a session whose triggers are off, as a logical replication apply would run it. */
    private void withoutTriggers(String sql) {
        var connection = DataSourceUtils.getConnection(dataSource);
        try (var statement = connection.createStatement()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            statement.execute("set local session_replication_role = replica");
            statement.execute(sql);
            connection.commit();
            connection.setAutoCommit(autoCommit);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }
}
