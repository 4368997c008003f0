package dev.sco.orchestrator.platform.rails;

import java.util.List;

import org.camunda.bpm.engine.RepositoryService;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Installs the start checks in front of both engine APIs, after authentication. */
@Configuration(proxyBeanMethods = false)
class RailsConfiguration {

    @Bean
    FilterRegistrationBean<EngineRestGuard> engineRestGuard(List<StartRules> rules, RepositoryService repository) {
        FilterRegistrationBean<EngineRestGuard> registration =
                new FilterRegistrationBean<>(new EngineRestGuard(rules, repository));
        registration.setName("engine-start-guard");
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
        registration.setOrder(20);
        return registration;
    }
}
