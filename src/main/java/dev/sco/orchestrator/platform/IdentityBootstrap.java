package dev.sco.orchestrator.platform;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.ProcessDefinitionPermissions;
import org.camunda.bpm.engine.authorization.ProcessInstancePermissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.task.TaskQuery;
import dev.sco.orchestrator.platform.rails.StartRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Creates the orchestrator's groups, their engine authorizations, the administrator and (in the
 * demo estate only) the demo users, before the web server accepts requests. Idempotent, and safe
 * when several nodes start at once: a node that loses a creation race re-reads and carries on.
 */
@Component
class IdentityBootstrap implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(IdentityBootstrap.class);

    static final Map<String, String> GROUP_NAMES = Map.of(
            Groups.ADMIN, "Orchestrator administrators",
            Groups.DBA, "Database administrators",
            Groups.OPERATORS, "Operators",
            Groups.MID_ADMINS, "MID server administrators",
            Groups.HEARTBEAT_SENDERS, "Heartbeat senders (heartbeats only)");

    /**
     * E-mail address every demo user is created with. Demo users are removed by this mark when the
     * demo estate is off, so a real user who happens to be called "dba" is never touched.
     */
    static final String DEMO_USER_EMAIL = DemoUsers.EMAIL;

    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final FilterService filters;
    private final TaskService tasks;
    private final OrchestratorProperties settings;
    private final List<StartRules> startRules;

    IdentityBootstrap(ProcessEngine engine, OrchestratorProperties settings, List<StartRules> startRules) {
        this.startRules = startRules;
        this.identity = engine.getIdentityService();
        this.authorizations = engine.getAuthorizationService();
        this.filters = engine.getFilterService();
        this.tasks = engine.getTaskService();
        this.settings = settings;
    }

    @Override
    public void afterPropertiesSet() {
        GROUP_NAMES.forEach(this::ensureGroup);
        // The engine grants a new group READ on itself; heartbeat senders hold no engine right at all.
        authorizations.createAuthorizationQuery().groupIdIn(Groups.HEARTBEAT_SENDERS).unlimitedList()
                .forEach(authorization -> authorizations.deleteAuthorization(authorization.getId()));
        // Membership of the engine's admin group only unlocks admin-only commands; ordinary
        // authorization checks (deploy, start, read) still need grants, as Camunda's own admin setup gives.
        for (Resources resource : Resources.values()) {
            grant(Groups.ADMIN, resource, Authorization.ANY, Permissions.ALL);
        }
        for (String group : Groups.WORKING_GROUPS) {
            grant(group, Resources.APPLICATION, "tasklist", Permissions.ACCESS);
            grant(group, Resources.APPLICATION, "cockpit", Permissions.ACCESS);
            // Every process can be seen; which ones a group may start is granted per process below.
            reconcile(group, Resources.PROCESS_DEFINITION, "*", ProcessDefinitionPermissions.READ,
                    ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
            grant(group, Resources.PROCESS_INSTANCE, "*", ProcessInstancePermissions.CREATE,
                    ProcessInstancePermissions.READ);
            grant(group, Resources.DEPLOYMENT, "*", Permissions.READ);
        }
        for (StartRules process : startRules) {
            for (String group : Groups.WORKING_GROUPS) {
                if (process.startingGroups().contains(group)) {
                    reconcile(group, Resources.PROCESS_DEFINITION, process.processKey(),
                            ProcessDefinitionPermissions.READ, ProcessDefinitionPermissions.CREATE_INSTANCE,
                            ProcessDefinitionPermissions.READ_INSTANCE, ProcessDefinitionPermissions.READ_HISTORY);
                } else {
                    revoke(group, Resources.PROCESS_DEFINITION, process.processKey());
                }
            }
        }
        ensureTaskFilter("Team tasks", "Tasks offered to one of my groups, and tasks assigned to me");
        OrchestratorProperties.Admin admin = settings.admin();
        if (!admin.user().isBlank()) {
            ensureUser(admin.user(), admin.password(), "Orchestrator", "Administrator", null, List.of(Groups.ADMIN));
            log.info("Administrator '{}' taken from ORCHESTRATOR_ADMIN_USER", admin.user());
        }
        if (settings.demoEnabled()) {
            ensureDemoUser("demo", "Demo", "Admin",
                    List.of(Groups.ADMIN, Groups.DBA, Groups.OPERATORS, Groups.MID_ADMINS));
            ensureDemoUser("dba", "Demo", "DBA", List.of(Groups.DBA));
            ensureDemoUser("operator", "Demo", "Operator", List.of(Groups.OPERATORS));
            ensureDemoUser("midadmin", "Demo", "MID admin", List.of(Groups.MID_ADMINS));
            log.warn("""

                    ************************************************************************
                    *  DEMO ESTATE: demo credentials are active. NEVER expose this node.   *
                    *    demo/demo (admin, all groups)   dba/dba   operator/operator       *
                    *    midadmin/midadmin                                                 *
                    *  Set ORCHESTRATOR_DB_URL and ORCHESTRATOR_ADMIN_* for real use.      *
                    ************************************************************************""");
        } else {
            removeDemoUsers();
        }
    }

    /**
     * A demo user (password = name) carrying {@link #DEMO_USER_EMAIL}. A user of the same name
     * without the mark is a real user: it keeps its password and groups.
     */
    private void ensureDemoUser(String id, String first, String last, List<String> groups) {
        User existing = identity.createUserQuery().userId(id).singleResult();
        if (existing != null && !DEMO_USER_EMAIL.equals(existing.getEmail())) {
            log.warn("User '{}' exists and is not a demo user: left as it is, the demo login '{}' does not work", id, id);
            return;
        }
        ensureUser(id, id, first, last, DEMO_USER_EMAIL, groups);
    }

    /**
     * With the demo estate off, demo users must not exist: their passwords are public. Removes
     * every user carrying the demo mark (a database that once ran the demo estate keeps them otherwise).
     */
    private void removeDemoUsers() {
        for (User user : identity.createUserQuery().userEmail(DEMO_USER_EMAIL).unlimitedList()) {
            try {
                identity.deleteUser(user.getId());
                log.warn("Demo user '{}' removed: the demo estate is off", user.getId());
            } catch (RuntimeException e) {
                // Another node starting at the same time removed it first.
                if (identity.createUserQuery().userId(user.getId()).count() > 0) {
                    throw e;
                }
            }
        }
    }

    private void ensureGroup(String id, String name) {
        if (identity.createGroupQuery().groupId(id).count() > 0) {
            return;
        }
        Group group = identity.newGroup(id);
        group.setName(name);
        group.setType("WORKFLOW");
        raceSafe(() -> identity.saveGroup(group), () -> identity.createGroupQuery().groupId(id).count() > 0);
    }

    private void ensureUser(String id, String password, String first, String last, String email,
                            List<String> groups) {
        User existing = identity.createUserQuery().userId(id).singleResult();
        if (existing == null) {
            User user = identity.newUser(id);
            user.setFirstName(first);
            user.setLastName(last);
            user.setEmail(email);
            user.setPassword(password);
            raceSafe(() -> identity.saveUser(user), () -> identity.createUserQuery().userId(id).count() > 0);
        } else if (!identity.checkPassword(id, password)) {
            existing.setPassword(password);
            identity.saveUser(existing);
        }
        for (String group : groups) {
            if (identity.createUserQuery().userId(id).memberOfGroup(group).count() == 0) {
                raceSafe(() -> identity.createMembership(id, group),
                        () -> identity.createUserQuery().userId(id).memberOfGroup(group).count() > 0);
            }
        }
    }

    private void grant(String group, Resource resource, String resourceId, Permission... permissions) {
        boolean present = authorizations.createAuthorizationQuery().groupIdIn(group).resourceType(resource)
                .resourceId(resourceId).count() > 0;
        if (present) {
            return;
        }
        Authorization authorization = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        authorization.setGroupId(group);
        authorization.setResource(resource);
        authorization.setResourceId(resourceId);
        for (Permission permission : permissions) {
            authorization.addPermission(permission);
        }
        raceSafe(() -> authorizations.saveAuthorization(authorization),
                () -> authorizations.createAuthorizationQuery().groupIdIn(group).resourceType(resource)
                        .resourceId(resourceId).count() > 0);
    }

    /**
     * Makes a group's grant on a resource exactly these permissions: an upgrade from a release
     * that granted more (every group could start every process) takes the extra rights away.
     */
    private void reconcile(String group, Resource resource, String resourceId, Permission... permissions) {
        Authorization existing = authorizations.createAuthorizationQuery().groupIdIn(group).resourceType(resource)
                .resourceId(resourceId).authorizationType(Authorization.AUTH_TYPE_GRANT).list().stream().findFirst()
                .orElse(null);
        if (existing == null) {
            grant(group, resource, resourceId, permissions);
            return;
        }
        int wanted = 0;
        for (Permission permission : permissions) {
            wanted |= permission.getValue();
        }
        if (permissionsValue(existing) != wanted) {
            existing.setPermissions(permissions);
            authorizations.saveAuthorization(existing);
        }
    }

    private static int permissionsValue(Authorization authorization) {
        int value = 0;
        for (Permission permission : authorization.getPermissions(ProcessDefinitionPermissions.values())) {
            value |= permission.getValue();
        }
        return value;
    }

    private void revoke(String group, Resource resource, String resourceId) {
        authorizations.createAuthorizationQuery().groupIdIn(group).resourceType(resource).resourceId(resourceId)
                .list().forEach(a -> authorizations.deleteAuthorization(a.getId()));
    }

    private void ensureTaskFilter(String name, String description) {
        if (filters.createFilterQuery().filterName(name).count() > 0) {
            return;
        }
        TaskQuery query = tasks.createTaskQuery()
                .taskCandidateGroupInExpression("${currentUserGroups()}")
                .includeAssignedTasks();
        Filter filter = filters.newTaskFilter(name)
                .setQuery(query)
                .setProperties(Map.of("description", description, "priority", -10, "refresh", true));
        filters.saveFilter(filter);
        for (String group : Groups.WORKING_GROUPS) {
            grant(group, Resources.FILTER, filter.getId(), Permissions.READ);
        }
    }

    /** Runs a creation; if it fails because another node created the same thing, that is fine. */
    private static void raceSafe(Runnable create, BooleanSupplier existsNow) {
        try {
            create.run();
        } catch (RuntimeException e) {
            if (!existsNow.getAsBoolean()) {
                throw e;
            }
        }
    }
}
