package dev.sco.orchestrator.platform.target;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.sco.orchestrator.platform.OrchestratorProperties;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The registered target databases and one small connection pool per endpoint.
 * <p>
 * Endpoints are read from {@code database_endpoint} at every lookup, so a change made through the
 * API or by another node is seen at once: a pool whose URL, user or password variable no longer
 * matches its row is closed and rebuilt. Passwords come from the environment (the variable named
 * by {@code password_env}); they are never stored or logged.
 */
@Component
public class TargetDatabases implements DisposableBean {

    /** The {@code application_name} of every session the orchestrator opens on a target. */
    public static final String APPLICATION_NAME = "continuity-orchestrator";

    private static final Logger log = LoggerFactory.getLogger(TargetDatabases.class);

    private final JdbcClient orchestrator;
    private final Environment environment;
    private final OrchestratorProperties.Targets settings;
    private final TargetRules rules;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();

    public TargetDatabases(JdbcClient orchestrator, Environment environment, OrchestratorProperties settings,
                           TargetRules rules) {
        this.orchestrator = orchestrator;
        this.environment = environment;
        this.settings = settings.targets();
        this.rules = rules;
    }

    /** All registered endpoints, by name. */
    public List<DatabaseEndpoint> endpoints() {
        return orchestrator.sql("""
                        select %s
                        from database_endpoint order by name""".formatted(DatabaseEndpoint.COLUMNS))
                .query(DatabaseEndpoint::map).list();
    }

    public Optional<DatabaseEndpoint> find(String name) {
        return orchestrator.sql("""
                        select %s
                        from database_endpoint where name = :name""".formatted(DatabaseEndpoint.COLUMNS))
                .param("name", name)
                .query(DatabaseEndpoint::map).optional();
    }

    /** @throws UnknownDatabaseException when no endpoint of that name is registered */
    public DatabaseEndpoint endpoint(String name) {
        return find(name).orElseThrow(() -> {
            close(pools.remove(name));
            return new UnknownDatabaseException(name);
        });
    }

    /** The pooled DataSource of a target, (re)built to match its current endpoint row. */
    public DataSource dataSource(String name) {
        return pool(endpoint(name)).dataSource();
    }

    public JdbcClient jdbc(String name) {
        return pool(endpoint(name)).jdbc();
    }

    /**
     * Makes the pool open new sessions for {@code name} from now on: pooled sessions keep the
     * defaults they started with (a fence's read-only default, for one), so after a change of such a
     * default (an unfence) the idle ones are closed at once and the busy ones when they come back.
     */
    public void renewSessions(String name) {
        Pool current = pools.get(name);
        if (current != null && current.dataSource().getHikariPoolMXBean() != null) {
            current.dataSource().getHikariPoolMXBean().softEvictConnections();
        }
    }

    /**
     * Checks a target on a fresh connection (not the pool, so the answer reflects the server now),
     * bounded by {@code timeout} for connecting and for the query.
     */
    public ProbeResult probe(String name, Duration timeout) {
        DatabaseEndpoint endpoint = endpoint(name);
        long started = System.nanoTime();
        try {
            TargetJdbcUrl url = checked(endpoint);
            Properties props = connectionProperties(url, timeout, timeout, timeout);
            props.setProperty("user", endpoint.username());
            String password = password(endpoint);
            if (password != null) {
                props.setProperty("password", password);
            }
            try (Connection connection = new Driver().connect(url.connectionUrl(), props);
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("""
                         select current_setting('server_version'), pg_is_in_recovery(),
                                current_setting('default_transaction_read_only') = 'on'""")) {
                rs.next();
                return new ProbeResult(name, true, rs.getString(1), rs.getBoolean(2), rs.getBoolean(3),
                        Duration.ofNanos(System.nanoTime() - started), null, ProbeClassification.REACHABLE);
            }
        } catch (SQLException | TargetDatabaseException e) {
            return new ProbeResult(name, false, null, false, false, Duration.ofNanos(System.nanoTime() - started),
                    describe(e), ProbeClassification.of(e));
        }
    }

    /** Where a database that is not a registered target (a backup database) is, and how to log in. */
    public record Address(String name, String jdbcUrl, String username, String passwordEnv) {
    }

    /**
     * A fresh, unpooled connection to a database that is not a registered target (a backup
     * database), checked by the same rules as a target: allowed host, password variable with the
     * required prefix. {@code connectTimeout} bounds connecting; {@code statementTimeout} each
     * statement, and the socket waits a little longer. The caller closes it.
     */
    public Connection connect(Address address, Duration connectTimeout, Duration statementTimeout)
            throws SQLException {
        TargetJdbcUrl url = checked(address.name(), address.jdbcUrl(), address.passwordEnv());
        Properties props = connectionProperties(url, connectTimeout, statementTimeout,
                statementTimeout.plus(connectTimeout).plusSeconds(5));
        props.setProperty("user", address.username());
        String password = password(address.name(), address.passwordEnv());
        if (password != null) {
            props.setProperty("password", password);
        }
        Connection connection = new Driver().connect(url.connectionUrl(), props);
        if (connection == null) {
            throw new SQLException("No PostgreSQL driver for " + url.connectionUrl());
        }
        return connection;
    }

    /** The message, prefixed by the SQLState when there is one, so an operator can look it up. */
    private static String describe(Exception e) {
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            return "SQLState " + sql.getSQLState() + ": " + sql.getMessage();
        }
        return e.getMessage();
    }

    @Override
    public void destroy() {
        pools.values().forEach(TargetDatabases::close);
        pools.clear();
    }

    private Pool pool(DatabaseEndpoint endpoint) {
        Pool current = pools.get(endpoint.name());
        if (current != null && current.endpoint().sameConnectionAs(endpoint)) {
            return current;
        }
        Pool[] replaced = new Pool[1];
        Pool pool = pools.compute(endpoint.name(), (name, existing) -> {
            if (existing != null && existing.endpoint().sameConnectionAs(endpoint)) {
                return existing;
            }
            replaced[0] = existing;
            return open(endpoint);
        });
        if (replaced[0] != null) {
            log.info("Target database '{}' changed its connection settings: connection pool rebuilt", endpoint.name());
            close(replaced[0]);
        }
        return pool;
    }

    private Pool open(DatabaseEndpoint endpoint) {
        TargetJdbcUrl url = checked(endpoint);
        HikariDataSource ds = new HikariDataSource();
        ds.setPoolName("target-" + endpoint.name());
        // Host, port and database only: a URL parameter would override the properties below.
        ds.setJdbcUrl(url.connectionUrl());
        ds.setUsername(endpoint.username());
        ds.setPassword(password(endpoint));
        ds.setMaximumPoolSize(settings.poolSize());
        // No idle connections: a pool to a dead server must not keep retrying in the background.
        ds.setMinimumIdle(0);
        ds.setIdleTimeout(60_000);
        // Connections to a server that was failed over away from do not linger.
        ds.setMaxLifetime(600_000);
        ds.setConnectionTimeout(settings.connectTimeout().toMillis());
        ds.setValidationTimeout(Math.max(250, settings.connectTimeout().toMillis() / 2));
        // A target that is down at start-up must not stop the pool from being built.
        ds.setInitializationFailTimeout(-1);
        // Beyond the statement timeout, so the server cancels a slow statement before the client gives up.
        Duration socketTimeout = settings.statementTimeout().plus(settings.connectTimeout()).plusSeconds(5);
        ds.setDataSourceProperties(connectionProperties(url, settings.connectTimeout(), settings.statementTimeout(),
                socketTimeout));
        return new Pool(endpoint, ds, JdbcClient.create(ds));
    }

    /**
     * The endpoint's allowed URL parameters first, then the orchestrator's own settings, which
     * therefore always win (the URL handed to the driver carries no parameters at all).
     */
    private static Properties connectionProperties(TargetJdbcUrl url, Duration connectTimeout, Duration statementTimeout,
                                                   Duration socketTimeout) {
        Properties props = new Properties();
        url.parameters().forEach(props::setProperty);
        props.setProperty("ApplicationName", APPLICATION_NAME);
        props.setProperty("connectTimeout", Long.toString(seconds(connectTimeout)));
        props.setProperty("loginTimeout", Long.toString(seconds(connectTimeout)));
        props.setProperty("socketTimeout", Long.toString(seconds(socketTimeout)));
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("options", "-c statement_timeout=" + statementTimeout.toMillis());
        return props;
    }

    /** The driver counts these timeouts in whole seconds; round up so a short timeout never becomes none. */
    private static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }

    /**
     * The endpoint's URL and password variable checked again at every connection: a row written
     * before the rules existed, or straight into the table, must not get past them either.
     */
    private TargetJdbcUrl checked(DatabaseEndpoint endpoint) {
        return checked(endpoint.name(), endpoint.jdbcUrl(), endpoint.passwordEnv());
    }

    private TargetJdbcUrl checked(String name, String jdbcUrl, String passwordEnv) {
        String passwordEnvProblem = rules.passwordEnvProblem(passwordEnv);
        if (passwordEnvProblem != null) {
            throw new TargetDatabaseException("Target database '" + name + "' is not used: " + passwordEnvProblem);
        }
        try {
            return rules.checkJdbcUrl(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw new TargetDatabaseException("Target database '" + name + "' is not used: 'jdbcUrl' "
                    + e.getMessage());
        }
    }

    private String password(DatabaseEndpoint endpoint) {
        return password(endpoint.name(), endpoint.passwordEnv());
    }

    private String password(String name, String passwordEnv) {
        if (passwordEnv == null) {
            return null;
        }
        String password = environment.getProperty(passwordEnv);
        if (password == null) {
            throw new TargetDatabaseException("Target database '" + name + "': environment variable "
                    + passwordEnv + " (its password) is not set");
        }
        return password;
    }

    private static void close(Pool pool) {
        if (pool != null) {
            pool.dataSource().close();
        }
    }

    private record Pool(DatabaseEndpoint endpoint, HikariDataSource dataSource, JdbcClient jdbc) {
    }
}
