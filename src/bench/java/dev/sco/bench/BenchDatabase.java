package dev.sco.bench;

import java.nio.file.Path;
import java.util.List;

import ch.qos.logback.classic.Level;
import com.zaxxer.hikari.HikariDataSource;
import dev.sco.orchestrator.platform.EmbeddedPostgresServers;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's database for benchmarks that run the project's code in the harness's JVM:
 * PostgreSQL started as the orchestrator starts its own, the project's migrations applied, and a
 * small pool (4 connections).
 */
public final class BenchDatabase implements AutoCloseable {

    private final EmbeddedPostgresServers postgres;
    private final HikariDataSource dataSource;

    private BenchDatabase(EmbeddedPostgresServers postgres, HikariDataSource dataSource) {
        this.postgres = postgres;
        this.dataSource = dataSource;
    }

    /** Starts PostgreSQL under {@code dataRoot} and applies the project's migrations. */
    public static BenchDatabase start(Path dataRoot, String poolName) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        EmbeddedPostgresServers postgres = EmbeddedPostgresServers.start(dataRoot,
                List.of(EmbeddedPostgresServers.ORCHESTRATOR), 0);
        HikariDataSource dataSource = new HikariDataSource();
        try {
            dataSource.setPoolName(poolName);
            dataSource.setJdbcUrl(postgres.jdbcUrl(EmbeddedPostgresServers.ORCHESTRATOR));
            dataSource.setUsername("postgres");
            dataSource.setMaximumPoolSize(4);
            dataSource.addDataSourceProperty("reWriteBatchedInserts", "true");
            Flyway.configure().dataSource(dataSource).locations("classpath:sql/migration")
                    .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            postgres.close();
            throw e;
        }
        return new BenchDatabase(postgres, dataSource);
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
        postgres.close();
    }
}
