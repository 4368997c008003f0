package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;

import dev.sco.orchestrator.OrchestratorApplication;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Demo users (public passwords) exist only while the demo estate is on; real users are never touched. */
class DemoUsersRemovalTest {

    private final Path dataDir = Path.of("target", "test-pg", "demo-users-" + UUID.randomUUID());

    @Test
    void demoUsersAreRemovedWhenTheDemoEstateIsOffAtStartUp() {
        try (ConfigurableApplicationContext demo = start(true)) {
            IdentityService identity = demo.getBean(IdentityService.class);
            // The four demo logins and the demo fencing agent's machine user.
            assertThat(identity.createUserQuery().userEmail(IdentityBootstrap.DEMO_USER_EMAIL).count()).isEqualTo(5);
            assertThat(demo.containsBean("demoFencingAgent")).isTrue();
            // An operator account taken over by a real person: no longer marked, so it must survive.
            User operator = identity.createUserQuery().userId("operator").singleResult();
            operator.setEmail("operator@example.com");
            identity.saveUser(operator);
        }

        try (ConfigurableApplicationContext real = start(false)) {
            IdentityService identity = real.getBean(IdentityService.class);
            assertThat(identity.createUserQuery().userEmail(IdentityBootstrap.DEMO_USER_EMAIL).count()).isZero();
            for (String demoUser : new String[] {"demo", "dba", "midadmin"}) {
                assertThat(identity.createUserQuery().userId(demoUser).count()).as(demoUser).isZero();
            }
            assertThat(identity.createUserQuery().userId("operator").count()).isEqualTo(1);
            assertThat(identity.createUserQuery().userId("admin").count()).isEqualTo(1);
            assertThat(identity.checkPassword("demo", "demo")).isFalse();
            // Issue 17: the demo fencing agent (it stops a database server) exists in the demo estate only.
            assertThat(real.containsBean("demoFencingAgent")).isFalse();
            assertThat(identity.createUserQuery().userId("demo-fencing-agent").count()).isZero();
        }
    }

    private ConfigurableApplicationContext start(boolean demo) {
        return new SpringApplicationBuilder(OrchestratorApplication.class).run(
                "--orchestrator.embedded.data-dir=" + dataDir,
                "--orchestrator.demo=" + demo,
                "--orchestrator.admin.user=admin",
                "--orchestrator.admin.password=admin-test-password-1",
                "--orchestrator.process-application-name=demo-users",
                "--camunda.bpm.process-engine-name=demousers",
                "--camunda.bpm.job-execution.enabled=false",
                "--camunda.bpm.webapp.enabled=false",
                "--orchestrator.sync.schedule=false",
                // Quartz keeps data sources in a JVM-wide registry keyed by scheduler name.
                "--spring.quartz.properties.org.quartz.scheduler.instanceName=demo-users",
                "--server.port=0",
                "--logging.level.root=warn");
    }
}
