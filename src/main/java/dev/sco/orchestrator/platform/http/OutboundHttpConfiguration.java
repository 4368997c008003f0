package dev.sco.orchestrator.platform.http;

import java.net.http.HttpClient;
import java.time.Duration;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The orchestrator's one outbound HTTP client. Every callout goes through it, so every callout has
 * the same three bounds; nothing in it retries (a failed callout fails its process step, and the
 * engine decides whether to try again).
 */
@Configuration(proxyBeanMethods = false)
public class OutboundHttpConfiguration {

    /** The bean name callers qualify with, so a RestClient.Builder elsewhere cannot shadow it. */
    public static final String OUTBOUND = "outboundRestClient";

    @Bean(destroyMethod = "close")
    TotalTimeout outboundTotalTimeout(HttpSettings settings) {
        check("ORCHESTRATOR_HTTP_CONNECT_TIMEOUT", settings.connectTimeout(), Duration.ofMinutes(1));
        check("ORCHESTRATOR_HTTP_READ_TIMEOUT", settings.readTimeout(), Duration.ofMinutes(5));
        check("ORCHESTRATOR_HTTP_TOTAL_TIMEOUT", settings.totalTimeout(), Duration.ofMinutes(10));
        if (settings.totalTimeout().compareTo(settings.connectTimeout()) < 0) {
            throw new InvalidSettingException("ORCHESTRATOR_HTTP_TOTAL_TIMEOUT",
                    "must not be shorter than ORCHESTRATOR_HTTP_CONNECT_TIMEOUT (" + settings.connectTimeout() + ")");
        }
        return new TotalTimeout(settings.totalTimeout());
    }

    @Bean(OUTBOUND)
    RestClient outboundRestClient(HttpSettings settings, TotalTimeout totalTimeout) {
        return restClient(settings, totalTimeout);
    }

    /** The client as the bean is built; public for tests that call a receiver without a context. */
    public static RestClient restClient(HttpSettings settings, TotalTimeout totalTimeout) {
        // Redirects are not followed: a receiver must not send the operation's payload elsewhere.
        HttpClient client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
        factory.setReadTimeout(settings.readTimeout());
        // A fresh builder, not Boot's shared one: no customizer may add retries or change timeouts.
        return RestClient.builder().requestFactory(factory).requestInterceptor(totalTimeout).build();
    }

    private static void check(String variable, Duration value, Duration max) {
        if (value == null || value.compareTo(Duration.ofMillis(100)) < 0 || value.compareTo(max) > 0) {
            throw new InvalidSettingException(variable, "must be between 100ms and " + max + ", was " + value);
        }
    }
}
