package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.sco.orchestrator.platform.target.ProbeResult;
import dev.sco.orchestrator.platform.target.ScriptRunner;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fences a database so its consumers cannot write to it, and lifts exactly that fence again.
 * <p>
 * The read-only default alone does not hold: a client may ask {@code SET TRANSACTION READ WRITE}.
 * So the fence takes CONNECT away from PUBLIC and from the consumer roles registered for the
 * database ({@code consumerRoles}), keeps the read-only default for everyone else, and ends every
 * session. What it changes is recorded on the operation before it runs, so the unfence grants back
 * exactly what was revoked even after a crash between the two. Superusers bypass every privilege
 * and an owner may grant itself CONNECT again: such a consumer role makes the fence "not fenced".
 */
@Component
class Fencing {

    /** Stands for PUBLIC in {@code fence_revoked}; no role can be named like that here (names are checked). */
    static final String PUBLIC = "PUBLIC";

    private static final Logger log = LoggerFactory.getLogger(Fencing.class);

    private final FailoverRepository repository;
    private final TargetDatabases targets;
    private final ScriptRunner scripts;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;

    Fencing(FailoverRepository repository, TargetDatabases targets, ScriptRunner scripts,
            PlatformTransactionManager transactions, Clock clock) {
        this.repository = repository;
        this.targets = targets;
        this.scripts = scripts;
        this.ownTransaction = new TransactionTemplate(transactions);
        // The record of what the fence changes must survive a failure of the step that fences.
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    record Outcome(boolean fenced, String detail) {
    }

    /** Fences {@code database} for operation {@code operationId}; the database must be reachable. */
    Outcome fence(long operationId, String database, Duration probeTimeout) {
        List<String> roles = repository.consumerRoles(database);
        JdbcClient target = targets.jdbc(database);
        if (repository.fenceRecord(operationId).isEmpty()) {
            Before before = target.sql("""
                            with acl as (
                                select a.grantee from pg_database d,
                                       aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
                                 where d.datname = current_database() and a.privilege_type = 'CONNECT')
                            select (select datacl::text from pg_database where datname = current_database()) as acl,
                                   current_user as self,
                                   exists (select 1 from acl join pg_roles r on r.oid = acl.grantee
                                            where r.rolname = current_user) as self_had,
                                   exists (select 1 from acl where grantee = 0) as public_had,
                                   array(select r.rolname::text from acl join pg_roles r on r.oid = acl.grantee
                                          where r.rolname = any(?::text[]) and r.rolname <> current_user
                                          order by r.rolname) as roles_had""")
                    .param(roles.toArray(String[]::new))
                    .query((rs, i) -> new Before(rs.getString("acl"), rs.getString("self"), rs.getBoolean("self_had"),
                            rs.getBoolean("public_had"), List.of((String[]) rs.getArray("roles_had").getArray())))
                    .single();
            List<String> revoked = new ArrayList<>();
            if (before.publicHad()) {
                revoked.add(PUBLIC);
            }
            revoked.addAll(before.rolesHad());
            ownTransaction.executeWithoutResult(tx -> repository.recordFenceBefore(operationId, database, before.acl(),
                    revoked, before.selfHad() ? null : before.self(), clock.instant()));
        }
        scripts.run(database, "fence-read-only", Map.of("consumer_roles", String.join(",", roles)), false);
        repository.recordFenced(operationId, clock.instant());

        // A fresh session shows what a consumer gets; the catalog shows who may still connect.
        ProbeResult after = targets.probe(database, probeTimeout);
        List<String> problems = new ArrayList<>();
        if (!after.reachable()) {
            problems.add("the database did not answer after the fence: " + after.error());
        } else if (!after.readOnly()) {
            problems.add("new sessions can still write");
        }
        problems.addAll(onTarget(database, jdbc -> jdbc.sql("""
                        select case when r.rolname = current_user
                                    then 'role ' || r.rolname || ' is the orchestrator''s own user and cannot be fenced'
                                    when r.rolsuper
                                    then 'role ' || r.rolname || ' is a superuser, which bypasses every privilege'
                                    when r.oid = d.datdba
                                    then 'role ' || r.rolname || ' owns the database and may grant itself CONNECT again'
                                    else 'role ' || r.rolname || ' can still connect (through a role it belongs to)'
                               end
                          from pg_roles r, pg_database d
                         where d.datname = current_database() and r.rolname = any(?::text[])
                           and (r.rolname = current_user or r.rolsuper or r.oid = d.datdba
                                or has_database_privilege(r.oid, d.oid, 'CONNECT'))
                         order by r.rolname""")
                .param(roles.toArray(String[]::new)).query(String.class).list()));
        List<String> missing = onTarget(database, jdbc -> jdbc.sql("""
                        select x from unnest(?::text[]) x where not exists (select 1 from pg_roles where rolname = x)""")
                .param(roles.toArray(String[]::new)).query(String.class).list());
        String done = "new sessions are read-only, CONNECT revoked from PUBLIC"
                + (roles.isEmpty() ? "" : " and consumer roles " + roles) + ", other sessions ended"
                + (missing.isEmpty() ? "" : "; roles " + missing + " do not exist there")
                + (roles.isEmpty() ? "; no consumerRoles registered for " + database
                        + ": roles with a grant of their own may still connect and ask for READ WRITE" : "");
        Outcome outcome = problems.isEmpty() ? new Outcome(true, done)
                : new Outcome(false, "not fenced: " + String.join("; ", problems) + " (" + done + ")");
        log.warn("Operation {}: {} {}", operationId, database, outcome.detail());
        return outcome;
    }

    /**
     * Lifts the fence operation {@code fenceOperationId} put on {@code database}: grants CONNECT back
     * to exactly the grantees it revoked, takes back the CONNECT it gave the orchestrator's user, and
     * resets the read-only default. Without a recorded fence (an older or unreachable one) only the
     * default is reset. Recorded on the fencing operation, with {@code byOperationId} as who lifted it.
     */
    void unfence(long fenceOperationId, long byOperationId, String database) {
        FailoverRepository.FenceRecord fence = repository.fenceRecord(fenceOperationId)
                .filter(f -> database.equals(f.database())).orElse(null);
        Map<String, String> parameters = fence == null
                ? Map.of("regrant_public", "false", "regrant_roles", "", "revoke_self", "")
                : Map.of("regrant_public", String.valueOf(fence.revokedPublic()),
                        "regrant_roles", String.join(",", fence.revokedRoles()),
                        "revoke_self", fence.grantedSelf() == null ? "" : fence.grantedSelf());
        scripts.run(database, "unfence", parameters, false);
        // Sessions the pool opened while the fence held start every transaction read-only.
        targets.renewSessions(database);
        String detail = fence == null ? "no fence recorded: read-only default reset"
                : "read-only default reset; CONNECT granted back to " + (fence.revoked().isEmpty() ? "nobody"
                        : fence.revoked()) + (fence.grantedSelf() == null ? ""
                        : "; CONNECT the fence gave " + fence.grantedSelf() + " taken back")
                        + "; ACL before the fence: " + (fence.aclBefore() == null ? "default" : fence.aclBefore());
        repository.recordUnfence(fenceOperationId, byOperationId, clock.instant(), detail);
        log.info("Operation {}: {} unfenced ({})", byOperationId, database, detail);
    }

    /**
     * A read on the target right after the fence: the fence ended the pool's other sessions, and a
     * pooled connection that was ended fails once (the pool then drops it), so a read is tried again.
     */
    private <T> T onTarget(String database, Function<JdbcClient, T> read) {
        DataAccessException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return read.apply(targets.jdbc(database));
            } catch (DataAccessException e) {
                last = e;
            }
        }
        throw last;
    }

    private record Before(String acl, String self, boolean selfHad, boolean publicHad, List<String> rolesHad) {
    }
}
