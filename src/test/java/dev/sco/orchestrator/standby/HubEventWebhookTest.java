package dev.sco.orchestrator.standby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import dev.sco.orchestrator.platform.InvalidSettingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event sink's webhook against a real local HTTP server. */
class HubEventWebhookTest {

    private HttpServer server;
    private final AtomicReference<String> received = new AtomicReference<>();
    private volatile int answer = 204;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/events", exchange -> {
            received.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void postsTheEventAndReportsDelivery() {
        HubEventWebhook.Delivery delivery = webhook("/events").send("{\"event\":\"MASTER_RESET\"}");

        assertThat(delivery.status()).isEqualTo(HubEventWebhook.DELIVERED);
        assertThat(received.get()).isEqualTo("{\"event\":\"MASTER_RESET\"}");
    }

    @Test
    void errorAnswerIsAFailureNotAnException() {
        answer = 503;

        assertThat(webhook("/events").send("{}")).isEqualTo(new HubEventWebhook.Delivery(HubEventWebhook.FAILED,
                "HTTP 503"));
    }

    @Test
    void slowReceiverTimesOutAsAFailure() {
        HubEventWebhook.Delivery delivery = webhook("/slow").send("{}");

        assertThat(delivery.status()).isEqualTo(HubEventWebhook.FAILED);
        assertThat(delivery.detail()).contains("Timeout");
    }

    @Test
    void withoutWebhookNothingIsSent() {
        HubEventWebhook none = new HubEventWebhook(new StandbySettings(Duration.ofSeconds(5), "", Duration.ofSeconds(1)));

        assertThat(none.send("{}").status()).isEqualTo(HubEventWebhook.NOT_CONFIGURED);
        assertThat(received.get()).isNull();
    }

    @Test
    void settingsAreCheckedAtStart() {
        assertThatThrownBy(() -> new StandbyConfiguration(new StandbySettings(Duration.ofMillis(500), "",
                Duration.ofSeconds(5)))).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("ORCHESTRATOR_STANDBY_WATCH_INTERVAL");
        assertThatThrownBy(() -> new StandbyConfiguration(new StandbySettings(Duration.ofSeconds(5), "ftp://x/y",
                Duration.ofSeconds(5)))).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("ORCHESTRATOR_HUB_EVENT_WEBHOOK");
        assertThatThrownBy(() -> new StandbyConfiguration(new StandbySettings(Duration.ofSeconds(5), "",
                Duration.ZERO))).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("ORCHESTRATOR_HUB_EVENT_WEBHOOK_TIMEOUT");
    }

    private HubEventWebhook webhook(String path) {
        return new HubEventWebhook(new StandbySettings(Duration.ofSeconds(5),
                "http://127.0.0.1:" + server.getAddress().getPort() + path, Duration.ofMillis(500)));
    }
}
