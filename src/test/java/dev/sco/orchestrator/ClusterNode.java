package dev.sco.orchestrator;

import java.util.LinkedHashMap;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts one orchestrator node of a test cluster in this JVM: external mode on a shared
 * orchestrator database, no demo estate, an administrator, its own process application and
 * engine name, a random port. Nodes of one cluster pass the same {@code cluster} name.
 */
public final class ClusterNode {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-test-password-1";

    private ClusterNode() {
    }

    /**
     * @param cluster Quartz keeps data sources in a JVM-wide registry keyed by scheduler name: the
     *                nodes of one cluster share a name, distinct from every other test context
     * @param extra   further settings of the test (they win over the defaults here)
     */
    public static ConfigurableApplicationContext start(EmbeddedPostgres database, String name, String cluster,
                                                       Map<String, String> extra) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("orchestrator.db.url", database.getJdbcUrl("postgres", "postgres"));
        settings.put("orchestrator.db.username", "postgres");
        settings.put("orchestrator.db.password", "embedded-trust-auth");
        settings.put("orchestrator.db.pool-size", "8");
        settings.put("orchestrator.demo", "false");
        settings.put("orchestrator.admin.user", ADMIN);
        settings.put("orchestrator.admin.password", ADMIN_PASSWORD);
        settings.put("orchestrator.process-application-name", name);
        settings.put("camunda.bpm.process-engine-name", name.replace("-", ""));
        settings.put("camunda.bpm.webapp.enabled", "false");
        settings.put("spring.quartz.properties.org.quartz.scheduler.instanceName", cluster);
        settings.put("server.port", "0");
        settings.put("logging.level.root", "warn");
        settings.putAll(extra);
        // Command-line arguments, so they win over application.yaml.
        String[] args = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(OrchestratorApplication.class).run(args);
    }
}
