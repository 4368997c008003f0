package dev.sco.orchestrator.dbfailover;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.sco.orchestrator.platform.http.OutboundHttpConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Tells consumers that have a reconnect address to reconnect, once each, without retrying: the
 * step that calls this fails into the engine's retries instead. Each call carries the operation in
 * its body and as {@code Idempotency-Key}, so a consumer that is told twice (a retried step, or a
 * step whose node died after the call) can drop the repeat.
 */
@Component
class ReconnectCallouts implements DisposableBean {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Logger log = LoggerFactory.getLogger(ReconnectCallouts.class);

    static final int PARALLEL = 8;

    private final RestClient http;
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLEL, r -> {
        Thread t = new Thread(r, "reconnect-callout");
        t.setDaemon(true);
        return t;
    });

    ReconnectCallouts(@Qualifier(OutboundHttpConfiguration.OUTBOUND) RestClient http) {
        this.http = http;
    }

    /**
     * Calls every consumer, {@value #PARALLEL} at a time, so the step takes about one total timeout
     * per {@value #PARALLEL} dead receivers, well inside the job lock; returns the consumers that
     * were not told (no 2xx answer within the shared client's timeouts).
     */
    List<String> send(ContinuityOperation op, List<FailoverRepository.Callout> callouts) {
        List<CompletableFuture<String>> calls = callouts.stream()
                .map(callout -> CompletableFuture.supplyAsync(() -> told(op, callout) ? null : callout.consumer(),
                        workers))
                .toList();
        return calls.stream().map(CompletableFuture::join).filter(Objects::nonNull).toList();
    }

    private boolean told(ContinuityOperation op, FailoverRepository.Callout callout) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operationId", op.id());
        body.put("operation", op.kind());
        body.put("consumer", callout.consumer());
        body.put("database", op.to());
        try {
            http.post().uri(callout.url()).contentType(MediaType.APPLICATION_JSON)
                    .header(IDEMPOTENCY_KEY, key(op, callout.consumer())).body(body)
                    .retrieve().toBodilessEntity();
            return true;
        } catch (RestClientException | IllegalArgumentException e) {
            log.warn("Reconnect callout of operation {} to {} failed: {}", op.id(), callout.consumer(),
                    e.getMessage());
            return false;
        }
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }

    /** Same operation, same consumer, same database: the same key on every try. */
    static String key(ContinuityOperation op, String consumer) {
        return "continuity-operation-" + op.id() + "-reconnect-" + consumer + "-to-" + op.to();
    }
}
