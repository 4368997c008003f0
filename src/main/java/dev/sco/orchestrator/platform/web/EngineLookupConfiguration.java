package dev.sco.orchestrator.platform.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Registers {@link EngineLookupFilter} on the engine REST API, after authentication and the guards. */
@Configuration(proxyBeanMethods = false)
class EngineLookupConfiguration {

    @Bean
    FilterRegistrationBean<EngineLookupFilter> engineLookupFilter() {
        FilterRegistrationBean<EngineLookupFilter> registration = new FilterRegistrationBean<>(new EngineLookupFilter());
        registration.setName("engine-lookup");
        registration.addUrlPatterns("/engine-rest/*");
        registration.setOrder(30);
        return registration;
    }
}
