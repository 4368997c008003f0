package dev.sco.orchestrator.platform;

import org.camunda.bpm.spring.boot.starter.SpringBootProcessApplication;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The process application that deploys {@code processes/*.bpmn} (see META-INF/processes.xml).
 * Same as {@code @EnableProcessApplication}, except that its name is a setting: the container
 * registers process applications by name per JVM, and tests run two nodes in one JVM.
 */
@Component
class OrchestratorProcessApplication extends SpringBootProcessApplication {

    private final String name;

    OrchestratorProcessApplication(@Value("${orchestrator.process-application-name:orchestrator}") String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }
}
