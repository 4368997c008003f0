package dev.sco.orchestrator.dbfailover;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.sco.orchestrator.platform.AsSystem;
import dev.sco.orchestrator.platform.target.DatabaseEndpoint;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts failovers: from the API (who asked, why, the ticket) or from the health probe. One
 * running failover per database, also when two requests arrive at once (a partial unique index).
 */
@Service
public class FailoverRequests {

    private static final Logger log = LoggerFactory.getLogger(FailoverRequests.class);

    private final FailoverRepository repository;
    private final TargetDatabases targets;
    private final RuntimeService runtime;
    private final AsSystem system;
    private final Clock clock;
    private final DatabaseRoles roles;

    FailoverRequests(FailoverRepository repository, TargetDatabases targets, RuntimeService runtime, AsSystem system,
                     Clock clock, DatabaseRoles roles) {
        this.roles = roles;
        this.repository = repository;
        this.targets = targets;
        this.runtime = runtime;
        this.system = system;
        this.clock = clock;
    }

    /** Why a failover cannot be requested for a database; empty when it can. */
    public sealed interface Refusal permits UnknownDatabase, NotAPrimary, NoPartner, NotActingPrimary, AlreadyRunning {
    }

    public record UnknownDatabase(String database) implements Refusal {
    }

    public record NotAPrimary(String database, String role) implements Refusal {
    }

    public record NoPartner(String database) implements Refusal {
    }

    public record AlreadyRunning(ContinuityOperation running) implements Refusal {
    }

    /**
     * The registered primary does not act as primary now: it is failed (a failover completed) or
     * being restored. Failing it over again would move the consumers away from the database they
     * use onto the dead one's partner, which they already use.
     */
    public record NotActingPrimary(String database, String actingRole, java.time.Instant since, String why)
            implements Refusal {
        @Override
        public String toString() {
            return "'" + database + "' acts as " + actingRole + " since " + since + " (" + why
                    + "); it is not the acting primary" + (DatabaseRoles.FAILED.equals(actingRole)
                    ? ": restore it (POST /api/restorations)" : "");
        }
    }

    public record Outcome(ContinuityOperation operation, Refusal refusal) {
    }

    public Optional<Refusal> check(String database) {
        Optional<DatabaseEndpoint> endpoint = targets.find(database);
        if (endpoint.isEmpty()) {
            return Optional.of(new UnknownDatabase(database));
        }
        if (!"primary".equals(endpoint.get().role())) {
            return Optional.of(new NotAPrimary(database, endpoint.get().role()));
        }
        if (endpoint.get().pairedWith() == null || targets.find(endpoint.get().pairedWith()).isEmpty()) {
            return Optional.of(new NoPartner(database));
        }
        // Share-locks the endpoint row inside a request's transaction, so a failover ending at the
        // same moment (which makes this database failed) cannot slip between the check and the insert.
        String acting = roles.lockedRole(database).orElse(DatabaseRoles.PRIMARY);
        if (!DatabaseRoles.PRIMARY.equals(acting)) {
            DatabaseRoles.Acting role = roles.of(database).orElseThrow();
            return Optional.of(new NotActingPrimary(database, role.role(), role.since(), role.reason()));
        }
        return Optional.empty();
    }

    /**
     * Registers a failover process that was started directly over the engine REST API (its
     * operation record did not exist yet); the same rules as {@link #request} apply, and a refusal
     * fails the pre-flight step with the reason (an incident in Cockpit).
     */
    @Transactional
    public long adopt(String database, String mode, String reason, String ticket, String requestedBy,
                      String processInstanceId) {
        if (database == null || reason == null) {
            throw new IllegalArgumentException("A failover needs the start variables 'database' and 'reason'");
        }
        check(database).ifPresent(refusal -> {
            throw new IllegalArgumentException("Failover of '" + database + "' refused: " + refusal);
        });
        if (!java.util.Set.of(DatabaseFailoverProcess.MODE_UNPLANNED, DatabaseFailoverProcess.MODE_PLANNED,
                DatabaseFailoverProcess.MODE_DRILL).contains(mode)) {
            throw new IllegalArgumentException("mode must be unplanned, planned or drill, was '" + mode + "'");
        }
        long id = repository.insertFailover(database, targets.endpoint(database).pairedWith(), mode, requestedBy,
                        reason, ticket, clock.instant())
                .orElseThrow(() -> new IllegalStateException("A failover of '" + database + "' is already running"));
        repository.setProcess(id, processInstanceId);
        return id;
    }

    /** The running (not drill) failover of a database, if any. */
    public Optional<ContinuityOperation> running(String database) {
        return repository.runningFailover(database);
    }

    @Transactional
    public Outcome request(String database, String mode, String reason, String ticket, String requestedBy) {
        Optional<Refusal> refusal = check(database);
        if (refusal.isPresent()) {
            return new Outcome(null, refusal.get());
        }
        String failoverDatabase = targets.endpoint(database).pairedWith();
        Optional<Long> id = repository.insertFailover(database, failoverDatabase, mode, requestedBy, reason, ticket,
                clock.instant());
        if (id.isEmpty()) {
            return new Outcome(null, new AlreadyRunning(repository.runningFailover(database).orElseThrow()));
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put(DatabaseFailoverProcess.VAR_OPERATION_ID, id.get());
        variables.put(DatabaseFailoverProcess.VAR_DATABASE, database);
        variables.put(DatabaseFailoverProcess.VAR_FAILOVER_DATABASE, failoverDatabase);
        variables.put(DatabaseFailoverProcess.VAR_MODE, mode);
        variables.put(DatabaseFailoverProcess.VAR_REASON, reason);
        variables.put(DatabaseFailoverProcess.VAR_TICKET, ticket == null ? "" : ticket);
        variables.put(DatabaseFailoverProcess.VAR_REQUESTED_BY, requestedBy);
        String processInstanceId = system.call(() -> runtime.startProcessInstanceByKey(DatabaseFailoverProcess.KEY,
                DatabaseFailoverProcess.businessKey(id.get()), variables)).getId();
        repository.setProcess(id.get(), processInstanceId);
        log.warn("Failover {} of {} to {} ({}) requested by {}: {}", id.get(), database, failoverDatabase, mode,
                requestedBy, reason);
        return new Outcome(repository.find(id.get()).orElseThrow(), null);
    }
}
