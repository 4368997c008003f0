package dev.sco.bench.stock;

import java.io.IOException;
import java.nio.file.Path;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;

/**
 * The P7 reference: a stock Camunda 7.24 Spring Boot engine with its REST API, nothing tuned,
 * no authentication, on an embedded PostgreSQL of its own. None of the orchestrator's classes or
 * settings are on its classpath; the project's other libraries are, so their auto-configurations
 * that would add work (Flyway, Quartz, the web apps) are switched off.
 * <p>
 * Runs as its own JVM: {@code java -Dstock.data-dir=DIR -cp ... StockEngineApplication --server.port=N}.
 */
@SpringBootApplication(
        exclude = {FlywayAutoConfiguration.class, QuartzAutoConfiguration.class},
        excludeName = "org.camunda.bpm.spring.boot.starter.webapp.CamundaBpmWebappAutoConfiguration")
public class StockEngineApplication {

    public static void main(String[] args) {
        SpringApplication.run(StockEngineApplication.class, args);
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres stockPostgres() throws IOException {
        String dataDir = System.getProperty("stock.data-dir");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (dataDir != null) {
            builder.setDataDirectory(Path.of(dataDir)).setCleanDataDirectory(true);
        }
        return builder.start();
    }

    /** What Spring Boot would build from {@code spring.datasource.url}: a Hikari pool with its defaults. */
    @Bean
    DataSource dataSource(EmbeddedPostgres postgres) {
        return DataSourceBuilder.create()
                .url("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres")
                .username("postgres")
                .build();
    }
}
