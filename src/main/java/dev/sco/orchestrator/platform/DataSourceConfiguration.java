package dev.sco.orchestrator.platform;

import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The orchestrator database: external when {@code ORCHESTRATOR_DB_URL} is set, otherwise an
 * embedded PostgreSQL server whose data survives restarts. Engine, Quartz and Flyway share it.
 */
@Configuration(proxyBeanMethods = false)
class DataSourceConfiguration {

    /** Validates the settings first, so nothing starts on a contradictory configuration. */
    @Bean(destroyMethod = "close")
    EmbeddedPostgresServers embeddedPostgresServers(OrchestratorProperties settings) {
        StartupSettingsValidator.validate(settings);
        List<String> names = new ArrayList<>();
        if (!settings.db().external()) {
            names.add(EmbeddedPostgresServers.ORCHESTRATOR);
        }
        if (settings.demoEnabled()) {
            names.add(EmbeddedPostgresServers.DEMO_PRIMARY);
            names.add(EmbeddedPostgresServers.DEMO_FAILOVER);
        }
        return EmbeddedPostgresServers.start(settings.embedded().dataDir(), names, settings.embedded().port());
    }

    @Bean(destroyMethod = "close")
    @Primary
    HikariDataSource dataSource(OrchestratorProperties settings, EmbeddedPostgresServers embedded) {
        OrchestratorProperties.Db db = settings.db();
        HikariDataSource ds = new HikariDataSource();
        ds.setPoolName("orchestrator");
        if (db.external()) {
            ds.setJdbcUrl(db.url());
            ds.setUsername(db.username());
            ds.setPassword(db.password());
        } else {
            ds.setJdbcUrl(embedded.jdbcUrl(EmbeddedPostgresServers.ORCHESTRATOR));
            ds.setUsername("postgres");
        }
        ds.setMaximumPoolSize(db.poolSize());
        ds.setConnectionTimeout(10_000);
        ds.addDataSourceProperty("ApplicationName", "continuity-orchestrator");
        ds.addDataSourceProperty("reWriteBatchedInserts", "true");
        // A dead server or a cut network must end in an error, not a thread blocked for ever on a
        // socket read (the driver counts whole seconds).
        ds.addDataSourceProperty("socketTimeout", Long.toString(Math.max(1, db.socketTimeout().toSeconds())));
        ds.addDataSourceProperty("tcpKeepAlive", Boolean.toString(db.tcpKeepAlive()));
        return ds;
    }
}
