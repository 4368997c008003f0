package dev.sco.orchestrator.dbfailover;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.sco.orchestrator.platform.target.DatabaseEndpoint;
import dev.sco.orchestrator.platform.target.TargetDatabaseException;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import dev.sco.orchestrator.platform.target.TargetJdbcUrl;
import dev.sco.orchestrator.platform.target.TargetRules;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import dev.sco.orchestrator.platform.web.PutResult;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The backup database of each pair (table {@code backup_target}, keyed by the pair's primary):
 * where a restoration copies the pair's tables before it overwrites the primary, and where a DBA's
 * backups go. A backup database is checked like a target database (allowed host, password variable
 * with the required prefix) and must be neither of the pair's own databases; it is checked
 * reachable, and able to take a new schema, before it is recorded.
 */
@Component
public class BackupTargets {

    /** How long the registration's check of a backup database may take to connect and answer. */
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

    /** A registered backup database; {@code database} is the pair's primary. */
    public record BackupTarget(String database, String jdbcUrl, String username, String passwordEnv, String registeredBy,
                        Instant registeredAt, Instant updatedAt) {

        /** Where it is, for a connection under the target rules. */
        TargetDatabases.Address address() {
            return new TargetDatabases.Address("backup database of " + database, jdbcUrl, username, passwordEnv);
        }
    }

    /** Body of {@code PUT /api/backups/targets/{database}}. */
    public record Request(String jdbcUrl, String username, String passwordEnv) {
    }

    private final JdbcClient jdbc;
    private final TargetDatabases targets;
    private final TargetRules rules;
    private final Clock clock;

    BackupTargets(JdbcClient jdbc, TargetDatabases targets, TargetRules rules, Clock clock) {
        this.jdbc = jdbc;
        this.targets = targets;
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * The pair a database belongs to, named by its primary: the database itself when registered
     * as a primary, its partner when registered as a failover database.
     */
    String pairOf(String database) {
        DatabaseEndpoint endpoint = targets.find(database).orElseThrow(() ->
                new NotFound("database", "No database named '" + database + "'"));
        if ("failover".equals(endpoint.role())) {
            if (endpoint.pairedWith() == null) {
                throw new BadRequest("database", "'" + database + "' is a failover database without a partner: "
                        + "register the backup database for its pair's primary");
            }
            return endpoint.pairedWith();
        }
        return database;
    }

    /** The backup database of the pair the database belongs to, if one is registered. */
    Optional<BackupTarget> forPair(String database) {
        return targets.find(database).map(e -> "failover".equals(e.role()) && e.pairedWith() != null
                        ? e.pairedWith() : e.name())
                .flatMap(this::find);
    }

    public Optional<BackupTarget> find(String primary) {
        return jdbc.sql("select database, jdbc_url, username, password_env, registered_by, registered_at, updated_at "
                        + "from backup_target where database = ?")
                .param(primary).query(BackupTarget.class).optional();
    }

    List<BackupTarget> list() {
        return jdbc.sql("select database, jdbc_url, username, password_env, registered_by, registered_at, updated_at "
                + "from backup_target order by database").query(BackupTarget.class).list();
    }

    /**
     * Registers (or replaces) the backup database of the pair whose primary is {@code database}.
     * Everything is checked before anything is written: the fields, that the backup database is
     * neither of the pair's databases, then a connection to it (outside any transaction).
     */
    public PutResult<BackupTarget> put(String database, Request body, String by) {
        Inputs.required("body", body);
        DatabaseEndpoint primary = targets.find(database).orElseThrow(() ->
                new NotFound("database", "No database named '" + database + "'"));
        if (!"primary".equals(primary.role())) {
            throw new BadRequest("database", "'" + database + "' is a " + primary.role()
                    + " database: register the backup database for its pair's primary"
                    + (primary.pairedWith() == null ? "" : " '" + primary.pairedWith() + "'"));
        }
        Inputs.text("jdbcUrl", body.jdbcUrl(), 1024);
        TargetJdbcUrl url;
        try {
            url = rules.checkJdbcUrl(body.jdbcUrl());
        } catch (IllegalArgumentException e) {
            throw new BadRequest("jdbcUrl", "'jdbcUrl' " + e.getMessage());
        }
        Inputs.text("username", body.username(), 128);
        String passwordEnvProblem = rules.passwordEnvProblem(body.passwordEnv());
        if (passwordEnvProblem != null) {
            throw new BadRequest("passwordEnv", passwordEnvProblem);
        }
        for (String own : ownDatabases(primary)) {
            DatabaseEndpoint endpoint = targets.find(own).orElse(null);
            if (endpoint != null && sameDatabase(url, TargetJdbcUrl.parse(endpoint.jdbcUrl()))) {
                throw new BadRequest("jdbcUrl", "'jdbcUrl' names database '" + own + "' of the pair itself: "
                        + "a backup must not live on the database it protects");
            }
        }
        BackupTarget candidate = new BackupTarget(database, body.jdbcUrl(), body.username(), body.passwordEnv(), by,
                null, null);
        check(candidate);
        Timestamp now = Timestamp.from(clock.instant());
        boolean created = jdbc.sql("""
                insert into backup_target (database, jdbc_url, username, password_env, registered_by, registered_at,
                                           updated_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (database) do update set jdbc_url = excluded.jdbc_url, username = excluded.username,
                    password_env = excluded.password_env, registered_by = excluded.registered_by,
                    updated_at = excluded.updated_at
                returning (xmax = 0)""")
                .params(database, body.jdbcUrl(), body.username(), body.passwordEnv(), by, now, now)
                .query(Boolean.class).single();
        return new PutResult<>(created, find(database).orElseThrow());
    }

    private static List<String> ownDatabases(DatabaseEndpoint primary) {
        return primary.pairedWith() == null ? List.of(primary.name()) : List.of(primary.name(), primary.pairedWith());
    }

    /** Same server and database: host (case aside), port and database name. */
    private static boolean sameDatabase(TargetJdbcUrl a, TargetJdbcUrl b) {
        return a.bareHost().toLowerCase(Locale.ROOT).equals(b.bareHost().toLowerCase(Locale.ROOT))
                && a.port() == b.port() && a.database().equals(b.database());
    }

    /** Connects and checks the user may create schemas there; a 400 naming the field to fix otherwise. */
    private void check(BackupTarget target) {
        try (Connection connection = targets.connect(target.address(), CHECK_TIMEOUT, CHECK_TIMEOUT);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("select has_database_privilege(current_user, current_database(), "
                     + "'CREATE'), pg_is_in_recovery()")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new BadRequest("username", "'username' " + target.username()
                        + " may not create schemas in the backup database");
            }
            if (rs.getBoolean(2)) {
                throw new BadRequest("jdbcUrl", "'jdbcUrl' names a server in recovery (read-only): "
                        + "a backup database must take writes");
            }
        } catch (TargetDatabaseException e) {
            throw new BadRequest("passwordEnv", e.getMessage());
        } catch (SQLException e) {
            throw new BadRequest("jdbcUrl", "'jdbcUrl' is not reachable: " + (e.getSQLState() == null ? ""
                    : "SQLState " + e.getSQLState() + ": ") + e.getMessage());
        }
    }
}
