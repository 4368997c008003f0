package dev.sco.orchestrator.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    /** Named so that the BPMN model can say {@code ${auditSettings.cycle}}. */
    @Bean
    @ConfigurationProperties("orchestrator.audit")
    AuditSettings auditSettings() {
        return new AuditSettings();
    }
}
