package dev.sco.orchestrator.standby;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Posts hub events to the optional webhook of the event sink. It reports the outcome instead of
 * throwing: a receiver that is down must not hold up a takeover, and the event stays in the
 * table either way.
 */
@Component
class HubEventWebhook {

    static final String NOT_CONFIGURED = "not-configured";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";

    private static final Logger log = LoggerFactory.getLogger(HubEventWebhook.class);

    record Delivery(String status, String detail) {
    }

    private final StandbySettings settings;
    private final HttpClient http;

    HubEventWebhook(StandbySettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.eventWebhookTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Delivery send(String json) {
        if (!settings.webhookConfigured()) {
            return new Delivery(NOT_CONFIGURED, null);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.eventWebhook()))
                .timeout(settings.eventWebhookTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                return new Delivery(DELIVERED, "HTTP " + response.statusCode());
            }
            log.warn("Hub event webhook answered HTTP {}", response.statusCode());
            return new Delivery(FAILED, "HTTP " + response.statusCode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery(FAILED, "interrupted");
        } catch (Exception e) {
            log.warn("Hub event webhook failed: {}", e.toString());
            return new Delivery(FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
