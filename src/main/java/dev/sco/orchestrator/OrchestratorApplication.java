package dev.sco.orchestrator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Service Continuity Orchestrator: disaster-recovery runbooks executed as BPMN processes.
 * The process application ({@code platform.OrchestratorProcessApplication}) deploys every model
 * found under {@code processes/} on the classpath.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OrchestratorApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrchestratorApplication.class, args);
    }
}
