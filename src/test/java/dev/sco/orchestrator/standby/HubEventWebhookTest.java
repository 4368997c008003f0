package dev.sco.orchestrator.standby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import dev.sco.orchestrator.platform.InvalidSettingException;
import dev.sco.orchestrator.platform.http.HttpSettings;
import dev.sco.orchestrator.platform.http.OutboundHttpConfiguration;
import dev.sco.orchestrator.platform.http.TotalTimeout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The event sink's webhook against a real local HTTP server, through the shared outbound client. */
class HubEventWebhookTest {

    private HttpServer server;
    private final AtomicReference<String> received = new AtomicReference<>();
    private final AtomicReference<String> key = new AtomicReference<>();
    private volatile int answer = 204;
    private final TotalTimeout totalTimeout = new TotalTimeout(Duration.ofSeconds(1));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/events", exchange -> {
            received.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            key.set(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            sleep(2_000);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        // Answers at once, then sends its body a byte every 300 ms for 6 s.
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                for (int i = 0; i < 20; i++) {
                    body.write('x');
                    body.flush();
                    sleep(300);
                }
            } catch (IOException e) {
                // the client gave up
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        totalTimeout.close();
    }

    @Test
    void postsTheEventWithItsIdempotencyKeyAndReportsDelivery() {
        HubEventWebhook.Delivery delivery = webhook("/events").send("{\"event\":\"MASTER_RESET\"}", "pi-1/master-reset");

        assertThat(delivery.status()).isEqualTo(HubEventWebhook.DELIVERED);
        assertThat(received.get()).isEqualTo("{\"event\":\"MASTER_RESET\"}");
        assertThat(key.get()).isEqualTo("pi-1/master-reset");
    }

    @Test
    void errorAnswerIsAFailureNotAnException() {
        answer = 503;

        assertThat(webhook("/events").send("{}", "k")).isEqualTo(new HubEventWebhook.Delivery(HubEventWebhook.FAILED,
                "HTTP 503"));
    }

    @Test
    void slowReceiverTimesOutAsAFailure() {
        HubEventWebhook.Delivery delivery = webhook("/slow").send("{}", "k");

        assertThat(delivery.status()).isEqualTo(HubEventWebhook.FAILED);
        assertThat(delivery.detail()).contains("Timeout");
    }

    @Test
    void receiverThatTricklesItsAnswerIsCutOffAtTheTotalTimeout() {
        // The read timeout alone would let the answer run for 5 s.
        HubEventWebhook webhook = new HubEventWebhook(settings("/trickle"), OutboundHttpConfiguration.restClient(
                new HttpSettings(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(1)), totalTimeout));
        long started = System.nanoTime();
        HubEventWebhook.Delivery delivery = webhook.send("{}", "k");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(delivery.status()).isEqualTo(HubEventWebhook.FAILED);
        assertThat(delivery.detail()).contains("total timeout");
        assertThat(tookMs).as("total timeout 1s, the trickle lasts 6s").isBetween(900L, 3_000L);
    }

    @Test
    void deliveryWaitsForTheCommitAndRunsOutsideAnyTransaction() throws Exception {
        AtomicReference<Boolean> transactionAtTheCall = new AtomicReference<>();
        HubEventWebhook webhook = new HubEventWebhook(settings("/events"),
                OutboundHttpConfiguration.restClient(httpSettings(), totalTimeout).mutate()
                        .requestInterceptors(list -> list.add(0, (request, body, execution) -> {
                            transactionAtTheCall.set(TransactionSynchronizationManager.isActualTransactionActive());
                            return execution.execute(request, body);
                        })).build());
        CompletableFuture<HubEventWebhook.Delivery> outcome = new CompletableFuture<>();
        // A transaction manager with nothing behind it: commit and rollback drive the
        // synchronisations exactly as the engine's transaction does.
        TransactionTemplate transaction = new TransactionTemplate(new AbstractPlatformTransactionManager() {
            @Override
            protected Object doGetTransaction() {
                return new Object();
            }

            @Override
            protected void doBegin(Object tx, TransactionDefinition definition) {
            }

            @Override
            protected void doCommit(DefaultTransactionStatus status) {
            }

            @Override
            protected void doRollback(DefaultTransactionStatus status) {
            }
        });
        transaction.executeWithoutResult(status -> {
            assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isTrue();
            webhook.deliverAfterCommit("{\"event\":\"MASTER_RESET\"}", "pi-2/master-reset", outcome::complete);
            sleep(200);
            assertThat(received.get()).as("nothing is sent before the commit").isNull();
        });

        assertThat(outcome.get(5, TimeUnit.SECONDS).status()).isEqualTo(HubEventWebhook.DELIVERED);
        assertThat(transactionAtTheCall.get()).isFalse();
        assertThat(key.get()).isEqualTo("pi-2/master-reset");

        received.set(null);
        transaction.executeWithoutResult(status -> {
            webhook.deliverAfterCommit("{}", "pi-3/master-reset", outcome::complete);
            status.setRollbackOnly();
        });
        sleep(300);
        assertThat(received.get()).as("a rolled-back step sends nothing").isNull();
        webhook.destroy();
    }

    @Test
    void withoutWebhookNothingIsSent() {
        HubEventWebhook none = new HubEventWebhook(new StandbySettings(Duration.ofSeconds(5), ""),
                OutboundHttpConfiguration.restClient(httpSettings(), totalTimeout));

        assertThat(none.send("{}", "k").status()).isEqualTo(HubEventWebhook.NOT_CONFIGURED);
        assertThat(received.get()).isNull();
    }

    @Test
    void settingsAreCheckedAtStart() {
        assertThatThrownBy(() -> new StandbyConfiguration(new StandbySettings(Duration.ofMillis(500), "")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("ORCHESTRATOR_STANDBY_WATCH_INTERVAL");
        assertThatThrownBy(() -> new StandbyConfiguration(new StandbySettings(Duration.ofSeconds(5), "ftp://x/y")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("ORCHESTRATOR_HUB_EVENT_WEBHOOK");
    }

    private HubEventWebhook webhook(String path) {
        return new HubEventWebhook(settings(path), OutboundHttpConfiguration.restClient(httpSettings(), totalTimeout));
    }

    private StandbySettings settings(String path) {
        return new StandbySettings(Duration.ofSeconds(5), "http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static HttpSettings httpSettings() {
        return new HttpSettings(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
