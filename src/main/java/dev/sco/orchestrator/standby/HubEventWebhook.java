package dev.sco.orchestrator.standby;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.sco.orchestrator.platform.http.OutboundHttpConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Posts hub events to the optional webhook of the event sink. It reports the outcome instead of
 * throwing: a receiver that is down must not hold up a takeover, and the event stays in the
 * table either way. A step that emits an event asks for delivery {@linkplain #deliverAfterCommit
 * after its transaction has committed}, on a thread of its own: the receiver can read the event
 * it is told about, and no transaction (nor the job that emitted it) waits for the receiver.
 */
@Component
class HubEventWebhook implements DisposableBean {

    static final String NOT_CONFIGURED = "not-configured";
    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Logger log = LoggerFactory.getLogger(HubEventWebhook.class);

    record Delivery(String status, String detail) {
    }

    /** Where a delivery's outcome is kept (the event's row); called on the delivery thread. */
    @FunctionalInterface
    interface Outcome {
        void record(Delivery delivery);
    }

    private final StandbySettings settings;
    private final RestClient http;
    // One thread: deliveries are rare (a takeover, a reminder), and they leave in the order emitted.
    private final ExecutorService deliveries = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hub-event-webhook");
        t.setDaemon(true);
        return t;
    });

    HubEventWebhook(StandbySettings settings, @Qualifier(OutboundHttpConfiguration.OUTBOUND) RestClient http) {
        this.settings = settings;
        this.http = http;
    }

    boolean configured() {
        return settings.webhookConfigured();
    }

    /**
     * Sends the event once the current transaction has committed (at once when there is none), on
     * the delivery thread, and hands the outcome to {@code outcome}. A transaction that rolls back
     * sends nothing: the engine runs the step again and asks again.
     */
    void deliverAfterCommit(String json, String idempotencyKey, Outcome outcome) {
        Runnable delivery = () -> deliveries.execute(() -> {
            Delivery result = send(json, idempotencyKey);
            try {
                outcome.record(result);
            } catch (RuntimeException e) {
                log.warn("Outcome of hub event delivery {} not recorded: {}", idempotencyKey, e.toString());
            }
        });
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    delivery.run();
                }
            });
        } else {
            delivery.run();
        }
    }

    /** One POST through the shared client; never inside a transaction (see the class comment). */
    Delivery send(String json, String idempotencyKey) {
        if (!settings.webhookConfigured()) {
            return new Delivery(NOT_CONFIGURED, null);
        }
        try {
            var response = http.post().uri(settings.eventWebhook().trim()).contentType(MediaType.APPLICATION_JSON)
                    .header(IDEMPOTENCY_KEY, idempotencyKey).body(json).retrieve().toBodilessEntity();
            return new Delivery(DELIVERED, "HTTP " + response.getStatusCode().value());
        } catch (RestClientResponseException e) {
            log.warn("Hub event webhook answered HTTP {}", e.getStatusCode().value());
            return new Delivery(FAILED, "HTTP " + e.getStatusCode().value());
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            log.warn("Hub event webhook failed: {}", cause.toString());
            return new Delivery(FAILED, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    @Override
    public void destroy() {
        deliveries.shutdownNow();
    }
}
