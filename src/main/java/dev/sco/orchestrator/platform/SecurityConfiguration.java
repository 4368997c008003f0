package dev.sco.orchestrator.platform;

import java.time.Clock;

import org.camunda.bpm.engine.IdentityService;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Authentication of both REST surfaces with one filter. The engine REST API has no
 * authentication of its own in the Spring Boot starter; the engine's stock filter would check
 * the password and look up groups and tenants on every request, which halves the rate of
 * authenticated process starts. {@link ApiAuthenticationFilter} does the same checks against the
 * same identity service and remembers a verified credential for a few seconds.
 * {@code GET /engine-rest/engine} alone stays open, as with the stock filter, and health answers
 * anonymous callers with its status. Authorization is the engine's (see {@link IdentityBootstrap}).
 * Failed logins are throttled per client address by {@link LoginThrottleFilter}, never per user.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    LoginThrottle loginThrottle(LoginSettings settings, Clock clock) {
        settings.validate();
        return new LoginThrottle(settings, clock);
    }

    /** Before authentication: a blocked address costs no password check. */
    @Bean
    FilterRegistrationBean<LoginThrottleFilter> loginThrottleFilter(LoginThrottle throttle) {
        FilterRegistrationBean<LoginThrottleFilter> registration =
                new FilterRegistrationBean<>(new LoginThrottleFilter(throttle));
        registration.setName("login-throttle");
        registration.addUrlPatterns("/api/*", "/engine-rest/*", "/actuator/*", "/camunda/api/admin/auth/user/*");
        registration.setOrder(5);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ApiAuthenticationFilter> apiAuthentication(IdentityService identityService, Clock clock) {
        FilterRegistrationBean<ApiAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ApiAuthenticationFilter(identityService, clock));
        registration.setName("api-authentication");
        registration.addUrlPatterns("/api/*", "/engine-rest/*", "/actuator/*");
        registration.setOrder(10);
        return registration;
    }
}
