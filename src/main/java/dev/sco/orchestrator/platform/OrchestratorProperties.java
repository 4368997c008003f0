package dev.sco.orchestrator.platform;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the orchestrator itself. Every field maps to an environment variable listed in
 * {@code docs/configuration.md}; {@link StartupSettingsValidator} rejects contradictory ones.
 */
@ConfigurationProperties("orchestrator")
public record OrchestratorProperties(
        Db db,
        Embedded embedded,
        @DefaultValue("") String demo,
        Admin admin,
        Targets targets) {

    /**
     * External orchestrator database; when {@code url} is empty the embedded server is used.
     * {@code socketTimeout} ends a connection whose server stopped answering (a half-open TCP
     * connection after a network cut would otherwise hold an engine or Quartz thread for ever);
     * it must be longer than the longest legitimate statement on this database. {@code tcpKeepAlive}
     * lets the operating system notice such a connection while it is idle in the pool.
     */
    public record Db(@DefaultValue("") String url,
                     @DefaultValue("") String username,
                     @DefaultValue("") String password,
                     @DefaultValue("20") int poolSize,
                     @DefaultValue("10m") Duration socketTimeout,
                     @DefaultValue("true") boolean tcpKeepAlive) {

        public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofMinutes(10);

        @ConstructorBinding
        public Db {
        }

        public Db(String url, String username, String password, int poolSize) {
            this(url, username, password, poolSize, DEFAULT_SOCKET_TIMEOUT, true);
        }

        public boolean external() {
            return url != null && !url.isBlank();
        }
    }

    /** Embedded PostgreSQL servers: where they keep their data, and on which port (0 = any). */
    public record Embedded(@DefaultValue("data") Path dataDir,
                           @DefaultValue("0") int port) {
    }

    public record Admin(@DefaultValue("") String user, @DefaultValue("") String password) {
    }

    /**
     * Connection limits for target databases (primary, failover, ...), the prefix every
     * {@code passwordEnv} must start with, and the hosts targets may be on (comma-separated, empty: any).
     */
    public record Targets(@DefaultValue("4") int poolSize,
                          @DefaultValue("5s") Duration connectTimeout,
                          @DefaultValue("60s") Duration statementTimeout,
                          @DefaultValue("ORCHESTRATOR_TARGET_") String passwordEnvPrefix,
                          @DefaultValue("") String allowedHosts) {

        public static final String DEFAULT_PASSWORD_ENV_PREFIX = "ORCHESTRATOR_TARGET_";
    }

    public Db db() {
        return db != null ? db : new Db("", "", "", 20);
    }

    public Embedded embedded() {
        return embedded != null ? embedded : new Embedded(Path.of("data"), 0);
    }

    public Admin admin() {
        return admin != null ? admin : new Admin("", "");
    }

    public Targets targets() {
        return targets != null ? targets : new Targets(4, Duration.ofSeconds(5), Duration.ofSeconds(60),
                Targets.DEFAULT_PASSWORD_ENV_PREFIX, "");
    }

    /** The demo estate is on by default on the embedded database and off on an external one. */
    public boolean demoEnabled() {
        if (demo == null || demo.isBlank()) {
            return !db().external();
        }
        return Boolean.parseBoolean(demo.trim());
    }
}
