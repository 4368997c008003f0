package dev.sco.orchestrator.platform.forms;

import java.util.List;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts the estate's choices into start forms read over either engine API. */
@Configuration(proxyBeanMethods = false)
class FormsConfiguration {

    @Bean
    FilterRegistrationBean<StartFormChoicesFilter> startFormChoices(List<FormChoices> choices) {
        FilterRegistrationBean<StartFormChoicesFilter> registration =
                new FilterRegistrationBean<>(new StartFormChoicesFilter(choices));
        registration.setName("start-form-choices");
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
        registration.setOrder(21);
        return registration;
    }
}
