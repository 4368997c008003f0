package dev.sco.orchestrator.platform;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.db.CompositePermissionCheck;
import org.camunda.bpm.engine.impl.db.DbEntity;
import org.camunda.bpm.engine.impl.db.PermissionCheck;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
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
 *   <li><b>Answers remembered.</b> A check asked again while the authorization table is unchanged
 *       is answered from {@link AuthorizationCheckCache}, which forgets everything when the table
 *       changes. A command that itself changes authorizations asks the database for the rest of
 *       its checks (it may see its own uncommitted rows).</li>
 * </ul>
 */
@Component
class GrantOnlyAuthorizationPlugin extends AbstractProcessEnginePlugin {

    private final AuthorizationCheckCache cache;

    GrantOnlyAuthorizationPlugin(AuthorizationCheckCache cache) {
        this.cache = cache;
    }

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
                return new GrantOnlyAuthorizationManager(cache);
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

    /**
     * The engine's authorization manager, refusing REVOKEs, without the group pre-filter read, and
     * answering repeated checks from the cache. One per command.
     */
    static final class GrantOnlyAuthorizationManager extends AuthorizationManager {

        private final AuthorizationCheckCache cache;
        private boolean changedAuthorizations;
        private boolean clearsOnCommit;

        GrantOnlyAuthorizationManager(AuthorizationCheckCache cache) {
            this.cache = cache;
        }

        @Override
        public boolean isAuthorized(String userId, List<String> groupIds, PermissionCheck permissionCheck) {
            if (!isAuthorizationEnabled()) {
                return true;
            }
            if (changedAuthorizations) {
                return super.isAuthorized(userId, groupIds, permissionCheck);
            }
            return cache.answer(userId, groupIds, createCompositePermissionCheck(permissionCheck),
                    () -> super.isAuthorized(userId, groupIds, permissionCheck));
        }

        @Override
        public boolean isAuthorized(String userId, List<String> groupIds, CompositePermissionCheck checks) {
            if (changedAuthorizations) {
                return super.isAuthorized(userId, groupIds, checks);
            }
            return cache.answer(userId, groupIds, checks, () -> super.isAuthorized(userId, groupIds, checks));
        }

        @Override
        public void insert(DbEntity entity) {
            refuseRevoke(entity);
            changing(true);
            super.insert(entity);
        }

        @Override
        public void update(AuthorizationEntity entity) {
            refuseRevoke(entity);
            changing(true);
            super.update(entity);
        }

        @Override
        public void delete(DbEntity entity) {
            changing(true);
            super.delete(entity);
        }

        @Override
        public void deleteAuthorizationsByResourceId(Resource resource, String resourceId) {
            changing(false);
            super.deleteAuthorizationsByResourceId(resource, resourceId);
        }

        @Override
        public void deleteAuthorizationsByResourceIdAndUserId(Resource resource, String resourceId, String userId) {
            changing(false);
            super.deleteAuthorizationsByResourceIdAndUserId(resource, resourceId, userId);
        }

        @Override
        public void deleteAuthorizationsByResourceIdAndGroupId(Resource resource, String resourceId, String groupId) {
            changing(false);
            super.deleteAuthorizationsByResourceIdAndGroupId(resource, resourceId, groupId);
        }

        /**
         * This command writes authorizations: its later checks go to the database. A single
         * authorization saved or deleted (an administrator's change) also clears the cache the
         * moment the command commits; bulk deletes (run for every finished task and instance, mostly
         * deleting nothing) leave that to the table's notification, which comes only when rows changed.
         */
        private void changing(boolean clearOnCommit) {
            if (clearOnCommit && !clearsOnCommit) {
                clearsOnCommit = true;
                CommandContext context = Context.getCommandContext();
                if (context != null) {
                    context.getTransactionContext().addTransactionListener(TransactionState.COMMITTED,
                            committed -> cache.invalidate());
                }
            }
            changedAuthorizations = true;
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
