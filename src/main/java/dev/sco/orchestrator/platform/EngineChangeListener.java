package dev.sco.orchestrator.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tells the caches of engine tables when those tables changed, whoever changed them: another
 * orchestrator node, the web apps, a DBA with SQL. {@link AuthorizationCheckCache} follows
 * {@code act_ru_authorization}, {@link LatestDefinitions} follows {@code act_re_procdef}.
 * <p>
 * At start-up triggers are (re)installed on both tables that send a PostgreSQL notification when a
 * transaction changes them: on channel {@value #AUTHORIZATIONS} when it changes who may do what
 * (an update that only sets a removal time sends none), on {@value #DEFINITIONS} for any change of
 * a process definition (a deployment, a suspension, a deletion). PostgreSQL delivers
 * notifications when that transaction commits. Each node keeps one connection of its own
 * listening on both channels; a notification clears its cache. While that connection is not
 * established (start-up, the database restarting, a cut network) both caches are switched off, so
 * every lookup goes to the database; after a reconnection they start empty, as notifications may
 * have been missed meanwhile. A database user that may not create the triggers leaves both caches
 * off for good (with a warning at start-up).
 */
@Component
public class EngineChangeListener implements SmartLifecycle {

    static final String AUTHORIZATIONS = "sco_authorization_changed";
    static final String DEFINITIONS = "sco_definitions_changed";

    private static final Logger log = LoggerFactory.getLogger(EngineChangeListener.class);
    private static final int WAIT_MILLIS = 2_000;
    private static final long LIVENESS_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long RETRY_MILLIS = 1_000;

    private final DataSource dataSource;
    private final ProcessEngineConfigurationImpl engineConfiguration;
    private final AuthorizationCheckCache cache;
    private final LatestDefinitions definitions;
    private volatile boolean running;
    private volatile ScheduledExecutorService executor;
    /** A lost connection has been reported and not yet its return. */
    private volatile boolean warned;
    private volatile Connection connection;

    EngineChangeListener(DataSource dataSource, ProcessEngineConfigurationImpl engineConfiguration,
                         AuthorizationCheckCache cache, LatestDefinitions definitions) {
        this.dataSource = dataSource;
        this.engineConfiguration = engineConfiguration;
        this.cache = cache;
        this.definitions = definitions;
    }

    @Override
    public void start() {
        try {
            installTriggers();
        } catch (IllegalStateException e) {
            // A database user that may not create triggers on the engine's tables: everything
            // works, every permission check and definition lookup asks the database.
            log.warn("{}; permission checks and definition lookups are not remembered", e.getMessage());
            return;
        }
        running = true;
        ScheduledExecutorService listener = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "engine-change-listener");
            thread.setDaemon(true);
            return thread;
        });
        executor = listener;
        listener.execute(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        listening(false);
        ScheduledExecutorService listener = executor;
        if (listener != null) {
            listener.shutdownNow();
            closeQuietly(connection);
            try {
                listener.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executor = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server takes requests, after it stops taking them. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    /** The triggers, replaced on every start (two nodes starting together take turns). */
    private void installTriggers() {
        String prefix = engineConfiguration.getDatabaseTablePrefix();
        String authorizations = prefix + "ACT_RU_AUTHORIZATION";
        String procdefs = prefix + "ACT_RE_PROCDEF";
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("select pg_advisory_xact_lock(hashtext('" + AUTHORIZATIONS + "'))");
                s.execute("""
                        create or replace function %ssco_notify_authorization_change() returns trigger language plpgsql as $$
                        begin
                          if tg_op = 'UPDATE' and (old.type_, old.user_id_, old.group_id_, old.resource_type_,
                                  old.resource_id_, old.perms_) is not distinct from (new.type_, new.user_id_,
                                  new.group_id_, new.resource_type_, new.resource_id_, new.perms_) then
                            return null;
                          end if;
                          perform pg_notify('%s', '');
                          return null;
                        end $$""".formatted(prefix, AUTHORIZATIONS));
                s.execute("""
                        create or replace function %ssco_notify_definition_change() returns trigger language plpgsql as $$
                        begin
                          perform pg_notify('%s', '');
                          return null;
                        end $$""".formatted(prefix, DEFINITIONS));
                replaceTrigger(s, authorizations, "sco_authorization_changed",
                        "after insert or update or delete", "row", "sco_notify_authorization_change");
                replaceTrigger(s, authorizations, "sco_authorization_truncated", "after truncate", "statement",
                        "sco_notify_authorization_change");
                replaceTrigger(s, procdefs, "sco_definitions_changed", "after insert or update or delete or truncate",
                        "statement", "sco_notify_definition_change");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not install the triggers that tell every orchestrator node about "
                    + "changes of " + authorizations + " and " + procdefs + ": " + e.getMessage(), e);
        }
    }

    private void replaceTrigger(Statement s, String table, String name, String events, String level, String function)
            throws SQLException {
        s.execute("drop trigger if exists " + name + " on " + table);
        s.execute("create trigger " + name + " " + events + " on " + table + " for each " + level
                + " execute procedure " + engineConfiguration.getDatabaseTablePrefix() + function + "()");
    }

    /**
     * One listening connection, held until it fails or the listener stops; after a failure the next
     * attempt is scheduled {@value #RETRY_MILLIS} ms later.
     */
    private void listen() {
        if (!running) {
            return;
        }
        try (Connection c = openConnection()) {
            connection = c;
            PGConnection pg = c.unwrap(PGConnection.class);
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + AUTHORIZATIONS);
                s.execute("LISTEN " + DEFINITIONS);
            }
            listening(true);
            if (warned) {
                log.info("Listening again for changes of authorizations and process definitions; they are remembered again");
                warned = false;
            }
            long lastCheck = System.nanoTime();
            while (running) {
                PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        if (AUTHORIZATIONS.equals(notification.getName())) {
                            cache.invalidate();
                        } else if (DEFINITIONS.equals(notification.getName())) {
                            definitions.invalidate();
                        }
                    }
                }
                if (System.nanoTime() - lastCheck > LIVENESS_NANOS) {
                    try (Statement s = c.createStatement()) {
                        s.execute("select 1");
                    }
                    lastCheck = System.nanoTime();
                }
            }
        } catch (SQLException | RuntimeException e) {
            listening(false);
            if (running && !warned) {
                log.warn("Lost the connection that listens for changes of authorizations and process definitions "
                        + "({}); every permission check and definition lookup asks the database until it is back",
                        e.getMessage());
                warned = true;
            }
        } finally {
            connection = null;
        }
        ScheduledExecutorService listener = executor;
        if (running && listener != null && !listener.isShutdown()) {
            try {
                listener.schedule(this::listen, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // stop() shut the executor down meanwhile
            }
        }
    }

    /**
     * A connection of its own, outside the pool: a pooled connection would go back to the pool
     * still listening.
     */
    private Connection openConnection() throws SQLException {
        if (dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            Properties properties = new Properties();
            properties.putAll(hikari.getDataSourceProperties());
            if (hikari.getUsername() != null) {
                properties.setProperty("user", hikari.getUsername());
            }
            if (hikari.getPassword() != null) {
                properties.setProperty("password", hikari.getPassword());
            }
            properties.setProperty("ApplicationName", "continuity-orchestrator engine change listener");
            // Waits for notifications in reads of WAIT_MILLIS; a shorter socket timeout would end each one.
            properties.setProperty("socketTimeout", "30");
            Connection c = DriverManager.getConnection(hikari.getJdbcUrl(), properties);
            c.setAutoCommit(true);
            return c;
        }
        throw new SQLException("the orchestrator database is not reached through a Hikari pool");
    }

    private void listening(boolean listening) {
        cache.listening(listening);
        definitions.listening(listening);
    }

    /** The process id of the listening session on the server, for tests. */
    Integer listeningBackend() throws SQLException {
        Connection c = connection;
        return c == null ? null : c.unwrap(PGConnection.class).getBackendPID();
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException ignored) {
                // closing to wake the listener up; it is being stopped
            }
        }
    }
}
