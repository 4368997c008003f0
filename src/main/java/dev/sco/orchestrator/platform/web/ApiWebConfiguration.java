package dev.sco.orchestrator.platform.web;

import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Strict reading of API bodies: a value of the wrong JSON type is refused instead of coerced
 * ({@code "60"} for a number, {@code 5} for a string, {@code 1.5} for an integer, {@code 0} for an
 * enum), as are duplicate keys and trailing content. Unknown fields are refused by
 * {@code spring.jackson.deserialization.fail-on-unknown-properties} in application.yaml.
 * Controllers receive the authenticated caller as an {@code ApiUser} parameter.
 */
@Configuration(proxyBeanMethods = false)
class ApiWebConfiguration implements WebMvcConfigurer {

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new ApiUserArgumentResolver());
    }

    @Bean
    FilterRegistrationBean<ApiRequestGuard> apiRequestGuard() {
        FilterRegistrationBean<ApiRequestGuard> registration = new FilterRegistrationBean<>(new ApiRequestGuard());
        registration.setName("api-request-guard");
        registration.addUrlPatterns("/api/*");
        registration.setOrder(12);
        return registration;
    }

    /** After authentication (order 10), which it needs to tell an administrator's deployment upload. */
    @Bean
    FilterRegistrationBean<WriteRequestGuard> writeRequestGuard() {
        FilterRegistrationBean<WriteRequestGuard> registration = new FilterRegistrationBean<>(new WriteRequestGuard());
        registration.setName("write-request-guard");
        registration.addUrlPatterns("/api/*", "/engine-rest/*");
        registration.setOrder(11);
        return registration;
    }

    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictApiJson() {
        return builder -> builder
                .featuresToEnable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                        DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
                        JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .featuresToDisable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .postConfigurer(mapper -> {
                    mapper.coercionConfigFor(LogicalType.Textual)
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                    for (LogicalType scalar : new LogicalType[] {LogicalType.Integer, LogicalType.Float,
                            LogicalType.Boolean}) {
                        mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
                    }
                    mapper.coercionConfigFor(LogicalType.Boolean)
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                });
    }
}
