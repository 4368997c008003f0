package dev.sco.orchestrator.dbfailover;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sco.orchestrator.platform.http.CalloutSecrets;
import dev.sco.orchestrator.platform.http.OutboundHttpConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Tells consumers that have a reconnect address to reconnect, once each, without retrying: the
 * step that calls this fails into the engine's retries instead. Each call carries the operation in
 * its body and as {@code Idempotency-Key}, so a consumer that is told twice (a retried step, or a
 * step whose node died after the call) can drop the repeat. The body also names the database the
 * consumer leaves ({@code from}); a consumer may confirm the move in its answer (see
 * {@link #confirmationProblem}), which is what the {@code writers} fencing method waits for.
 * A consumer registered with {@code calloutAuth} gets HTTP Basic with the password read from its
 * variable at the moment of the call; when that variable may not be used or is not set, the
 * consumer is not called (not told), and the credentials never reach a log or a reply.
 */
@Component
class ReconnectCallouts implements DisposableBean {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Logger log = LoggerFactory.getLogger(ReconnectCallouts.class);

    static final int PARALLEL = 8;

    private final RestClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLEL, r -> {
        Thread t = new Thread(r, "reconnect-callout");
        t.setDaemon(true);
        return t;
    });

    private final CalloutSecrets secrets;

    ReconnectCallouts(@Qualifier(OutboundHttpConfiguration.OUTBOUND) RestClient http, CalloutSecrets secrets) {
        this.http = http;
        this.secrets = secrets;
    }

    /** What one consumer answered: told (a 2xx), and whether the answer confirmed the move. */
    record Reply(String consumer, boolean told, boolean confirmed, String detail) {
    }

    /**
     * Calls every consumer, {@value #PARALLEL} at a time, so the step takes about one total timeout
     * per {@value #PARALLEL} dead receivers, well inside the job lock; returns the consumers that
     * were not told (no 2xx answer within the shared client's timeouts).
     */
    List<String> send(ContinuityOperation op, List<FailoverRepository.Callout> callouts) {
        return call(op, callouts).stream().filter(r -> !r.told()).map(Reply::consumer).toList();
    }

    /** As {@link #send}, with each consumer's answer (in the order of {@code callouts}). */
    List<Reply> call(ContinuityOperation op, List<FailoverRepository.Callout> callouts) {
        List<CompletableFuture<Reply>> calls = callouts.stream()
                .map(callout -> CompletableFuture.supplyAsync(() -> told(op, callout), workers))
                .toList();
        return calls.stream().map(CompletableFuture::join).toList();
    }

    private Reply told(ContinuityOperation op, FailoverRepository.Callout callout) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operationId", op.id());
        body.put("operation", op.kind());
        body.put("consumer", callout.consumer());
        body.put("database", op.to());
        body.put("from", op.from());
        String authorization;
        try {
            authorization = secrets.authorization(callout.username(), callout.passwordEnv());
        } catch (IllegalStateException e) {
            log.warn("Reconnect callout of operation {} to {} not sent: {}", op.id(), callout.consumer(), e.getMessage());
            return new Reply(callout.consumer(), false, false, "not told: " + e.getMessage());
        }
        try {
            ResponseEntity<String> answer = http.post().uri(callout.url()).contentType(MediaType.APPLICATION_JSON)
                    .header(IDEMPOTENCY_KEY, key(op, callout.consumer()))
                    .headers(h -> {
                        if (authorization != null) {
                            h.set(HttpHeaders.AUTHORIZATION, authorization);
                        }
                    })
                    .body(body)
                    .retrieve().toEntity(String.class);
            String refusal = confirmationProblem(op, answer.getBody());
            return new Reply(callout.consumer(), true, refusal == null,
                    refusal == null ? "confirmed" : "told, but " + refusal);
        } catch (RestClientException | IllegalArgumentException e) {
            log.warn("Reconnect callout of operation {} to {} failed: {}", op.id(), callout.consumer(),
                    e.getMessage());
            return new Reply(callout.consumer(), false, false, "not told: " + (e instanceof RestClientResponseException r
                    ? "answered HTTP " + r.getStatusCode().value() : e.getClass().getSimpleName()));
        }
    }

    /**
     * Why a consumer's 2xx answer does not confirm that it left {@code op.from()} for {@code op.to()},
     * or null when it does. A confirming answer is a JSON object naming this operation and both
     * databases: {@code {"operationId": 42, "droppedConnectionsTo": "<old>", "writesTo": "<new>"}}.
     */
    private String confirmationProblem(ContinuityOperation op, String body) {
        JsonNode answer;
        try {
            answer = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (Exception e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            return "its answer confirmed nothing (no JSON object)";
        }
        JsonNode id = answer.get("operationId");
        if (id == null || !id.canConvertToLong() || id.longValue() != op.id()) {
            return "its answer names operation " + id + ", not " + op.id();
        }
        if (!op.from().equals(text(answer.get("droppedConnectionsTo")))) {
            return "its answer does not say it dropped its connections to " + op.from();
        }
        if (!op.to().equals(text(answer.get("writesTo")))) {
            return "its answer does not say it writes to " + op.to();
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node == null || !node.isTextual() ? null : node.textValue();
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
