package dev.sco.orchestrator.standby;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The hot standby watch and the event sink's webhook.
 *
 * @param watchInterval       how often the standby watch runs (default 5 s)
 * @param eventWebhook        URL that receives each hub event as a JSON POST; empty: events stay in
 *                            the {@code hub_event} table only;
 *                            timeouts are the shared client's ({@code ORCHESTRATOR_HTTP_*})
 */
@ConfigurationProperties("orchestrator.standby")
public record StandbySettings(
        @DefaultValue("5s") Duration watchInterval,
        @DefaultValue("") String eventWebhook) {

    boolean webhookConfigured() {
        return eventWebhook != null && !eventWebhook.isBlank();
    }
}
