package dev.sco.orchestrator.platform.http;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Timeouts of the one HTTP client the orchestrator calls out with (consumer reconnects, the hub
 * event webhook).
 *
 * @param connectTimeout establishing the TCP (and TLS) connection
 * @param readTimeout    from the request sent to the answer's last byte (the JDK client's
 *                       request factory in Spring 6.2 bounds headers and body together)
 * @param totalTimeout   the whole call, connecting included: however the two above add up, no
 *                       step waits longer than this for a receiver
 */
@ConfigurationProperties("orchestrator.http")
public record HttpSettings(
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("5s") Duration readTimeout,
        @DefaultValue("10s") Duration totalTimeout) {
}
