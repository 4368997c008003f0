package dev.sco.orchestrator.platform;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.db.DbEntity;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationEntity;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationManager;
import org.springframework.stereotype.Component;

/**
 * The engine's authorization checks with two database reads fewer per command, and exactly the
 * same answers.
 * <ul>
 *   <li><b>Grants only.</b> The orchestrator's rights are all GRANT authorizations. The engine,
 *       left on {@code authorizationCheckRevokes=auto}, asks the database in every command whether
 *       a REVOKE exists for the user's groups before it checks anything. Here the engine never
 *       evaluates REVOKEs ({@code never}), and so that none is ever silently ignored, no REVOKE can
 *       exist: saving one through any entrance (Java API, engine REST, Admin web app) is refused
 *       with 400, and start-up stops if the database holds one (written by a release that allowed
 *       them, or by hand).</li>
 *   <li><b>No group pre-filter.</b> Before each check the engine reads the distinct group ids of
 *       the whole authorization table, to drop the user's groups that hold no authorization from
 *       the check's {@code GROUP_ID_ IN (...)} list. A group without rows matches nothing in that
 *       list, so keeping it changes no answer; the read is skipped. (A user in thousands of groups
 *       gets a longer list; the orchestrator's users are in a handful.)</li>
 * </ul>
 */
@Component
class GrantOnlyAuthorizationPlugin extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setAuthorizationCheckRevokes(ProcessEngineConfiguration.AUTHORIZATION_CHECK_REVOKE_NEVER);
        List<SessionFactory> factories = configuration.getCustomSessionFactories() == null ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomSessionFactories());
        factories.add(new SessionFactory() {
            @Override
            public Class<?> getSessionType() {
                return AuthorizationManager.class;
            }

            @Override
            public Session openSession() {
                return new GrantOnlyAuthorizationManager();
            }
        });
        configuration.setCustomSessionFactories(factories);
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        long revokes = engine.getAuthorizationService().createAuthorizationQuery()
                .authorizationType(Authorization.AUTH_TYPE_REVOKE).count();
        if (revokes > 0) {
            throw new IllegalStateException("The orchestrator database holds " + revokes + " REVOKE authorization(s) "
                    + "(act_ru_authorization.type_ = 2). The orchestrator evaluates GRANT authorizations only, so "
                    + "these would be ignored: delete them (Admin web app or DELETE /engine-rest/authorization/{id}) "
                    + "and narrow the grants they were meant to limit instead, then start again.");
        }
    }

    /** The engine's authorization manager, refusing REVOKEs and without the group pre-filter read. */
    static final class GrantOnlyAuthorizationManager extends AuthorizationManager {

        @Override
        public void insert(DbEntity entity) {
            refuseRevoke(entity);
            super.insert(entity);
        }

        @Override
        public void update(AuthorizationEntity entity) {
            refuseRevoke(entity);
            super.update(entity);
        }

        @Override
        public List<String> filterAuthenticatedGroupIds(List<String> authenticatedGroupIds) {
            return authenticatedGroupIds == null ? new ArrayList<>() : new ArrayList<>(authenticatedGroupIds);
        }

        private static void refuseRevoke(DbEntity entity) {
            if (entity instanceof AuthorizationEntity authorization
                    && authorization.getAuthorizationType() == Authorization.AUTH_TYPE_REVOKE) {
                throw new BadUserRequestException("REVOKE authorizations are not supported by the orchestrator: "
                        + "it evaluates GRANT authorizations only. Narrow the grants instead (authorization for "
                        + (authorization.getGroupId() != null ? "group '" + authorization.getGroupId() + "'"
                        : "user '" + authorization.getUserId() + "'") + " on resource type "
                        + authorization.getResourceType() + ", resource '" + authorization.getResourceId() + "')");
            }
        }
    }
}
