package dev.sco.orchestrator.platform;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
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
 * Tells {@link AuthorizationCheckCache} when the engine's authorization table changed, whoever
 * changed it: another orchestrator node, the Admin web app, a DBA with SQL.
 * <p>
 * At start-up a trigger is (re)installed on {@code act_ru_authorization} that sends a PostgreSQL
 * notification on channel {@value #CHANNEL} when a transaction changes who may do what (an update
 * that only sets a removal time sends none). PostgreSQL delivers notifications when that
 * transaction commits. Each node keeps one connection of its own listening on that channel; every
 * notification clears the cache. While that connection is not established (start-up, the database
 * restarting, a cut network) the cache is switched off, so checks go to the database; after a
 * reconnection the cache starts empty, as notifications may have been missed meanwhile.
 */
@Component
public class AuthorizationChangeListener implements SmartLifecycle {

    static final String CHANNEL = "sco_authorization_changed";

    private static final Logger log = LoggerFactory.getLogger(AuthorizationChangeListener.class);
    private static final int WAIT_MILLIS = 2_000;
    private static final long LIVENESS_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long RETRY_MILLIS = 1_000;

    private final DataSource dataSource;
    private final ProcessEngineConfigurationImpl engineConfiguration;
    private final AuthorizationCheckCache cache;
    private volatile boolean running;
    private volatile Thread thread;
    private volatile Connection connection;

    AuthorizationChangeListener(DataSource dataSource, ProcessEngineConfigurationImpl engineConfiguration,
                                AuthorizationCheckCache cache) {
        this.dataSource = dataSource;
        this.engineConfiguration = engineConfiguration;
        this.cache = cache;
    }

    @Override
    public void start() {
        installTrigger();
        running = true;
        Thread listener = new Thread(this::listen, "authorization-change-listener");
        listener.setDaemon(true);
        thread = listener;
        listener.start();
    }

    @Override
    public void stop() {
        running = false;
        cache.listening(false);
        Thread listener = thread;
        if (listener != null) {
            listener.interrupt();
            closeQuietly(connection);
            try {
                listener.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
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

    /** The trigger, replaced on every start (two nodes starting together take turns). */
    private void installTrigger() {
        String table = engineConfiguration.getDatabaseTablePrefix() + "ACT_RU_AUTHORIZATION";
        String function = engineConfiguration.getDatabaseTablePrefix() + "sco_notify_authorization_change";
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("select pg_advisory_xact_lock(hashtext('" + CHANNEL + "'))");
                s.execute("""
                        create or replace function %s() returns trigger language plpgsql as $$
                        begin
                          if tg_op = 'UPDATE' and (old.type_, old.user_id_, old.group_id_, old.resource_type_,
                                  old.resource_id_, old.perms_) is not distinct from (new.type_, new.user_id_,
                                  new.group_id_, new.resource_type_, new.resource_id_, new.perms_) then
                            return null;
                          end if;
                          perform pg_notify('%s', '');
                          return null;
                        end $$""".formatted(function, CHANNEL));
                s.execute("drop trigger if exists sco_authorization_changed on " + table);
                s.execute("create trigger sco_authorization_changed after insert or update or delete on " + table
                        + " for each row execute procedure " + function + "()");
                s.execute("drop trigger if exists sco_authorization_truncated on " + table);
                s.execute("create trigger sco_authorization_truncated after truncate on " + table
                        + " for each statement execute procedure " + function + "()");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not install the trigger that tells every orchestrator node about "
                    + "changes of " + table + ": " + e.getMessage(), e);
        }
    }

    private void listen() {
        boolean warned = false;
        while (running) {
            try (Connection c = openConnection()) {
                connection = c;
                PGConnection pg = c.unwrap(PGConnection.class);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                cache.listening(true);
                if (warned) {
                    log.info("Listening again for authorization changes; permission checks are remembered again");
                    warned = false;
                }
                long lastCheck = System.nanoTime();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications != null && notifications.length > 0) {
                        cache.invalidate();
                    }
                    if (System.nanoTime() - lastCheck > LIVENESS_NANOS) {
                        try (Statement s = c.createStatement()) {
                            s.execute("select 1");
                        }
                        lastCheck = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                cache.listening(false);
                if (running && !warned) {
                    log.warn("Lost the connection that listens for authorization changes ({}); every permission check "
                            + "asks the database until it is back", e.getMessage());
                    warned = true;
                }
            } finally {
                connection = null;
            }
            if (running) {
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
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
            properties.setProperty("ApplicationName", "continuity-orchestrator authorization listener");
            // Waits for notifications in reads of WAIT_MILLIS; a shorter socket timeout would end each one.
            properties.setProperty("socketTimeout", "30");
            Connection c = DriverManager.getConnection(hikari.getJdbcUrl(), properties);
            c.setAutoCommit(true);
            return c;
        }
        throw new SQLException("the orchestrator database is not reached through a Hikari pool");
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
