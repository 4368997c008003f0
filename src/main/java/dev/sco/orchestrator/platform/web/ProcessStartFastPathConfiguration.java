package dev.sco.orchestrator.platform.web;

import dev.sco.orchestrator.platform.LatestDefinitions;
import org.camunda.bpm.engine.ProcessEngine;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers {@link ProcessStartFastPath} on the engine REST API, after every other filter of the
 * service: authentication, login throttling, the write guard, the process start rails and the
 * start form choices all see the request first.
 */
@Configuration(proxyBeanMethods = false)
class ProcessStartFastPathConfiguration {

    @Bean
    FilterRegistrationBean<ProcessStartFastPath> processStartFastPath(ProcessEngine engine, LatestDefinitions definitions) {
        FilterRegistrationBean<ProcessStartFastPath> registration =
                new FilterRegistrationBean<>(new ProcessStartFastPath(engine, definitions));
        registration.setName("process-start-fast-path");
        registration.addUrlPatterns("/engine-rest/*");
        registration.setOrder(40);
        return registration;
    }
}
