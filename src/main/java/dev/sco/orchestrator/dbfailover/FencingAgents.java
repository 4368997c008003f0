package dev.sco.orchestrator.dbfailover;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sco.orchestrator.platform.http.OutboundHttpConfiguration;
import dev.sco.orchestrator.platform.target.TargetRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Calls an HTTP fencing agent: {@code POST <url>} with {@code {"operationId", "operation": "fence" |
 * "unfence", "database", "kind"}}, HTTP Basic credentials (the password read from the method's
 * environment variable at the moment of the call) and an {@code Idempotency-Key} that is the same on
 * every try of one operation. Only a 2xx JSON object with {@code "fenced": true} (for an unfence:
 * {@code "unfenced": true}) confirms; its {@code method} and {@code evidence} are kept. Anything
 * else (another status, another body, no answer within the method's timeout, an error) does not.
 * Nothing here logs or returns the password or the Authorization header.
 */
@Component
class FencingAgents implements DisposableBean {

    static final int MAX_EVIDENCE = 4_000;

    private static final Logger log = LoggerFactory.getLogger(FencingAgents.class);

    private final RestClient http;
    private final Environment environment;
    private final TargetRules rules;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fencing-agent");
        t.setDaemon(true);
        return t;
    });

    FencingAgents(@Qualifier(OutboundHttpConfiguration.OUTBOUND) RestClient http, Environment environment,
                  TargetRules rules) {
        this.http = http;
        this.environment = environment;
        this.rules = rules;
    }

    /** What the agent answered: confirmed or not, why, and the agent's own method and evidence. */
    record Answer(boolean confirmed, String detail, String method, String evidence) {
    }

    /**
     * Asks the agent to fence (or unfence) {@code database} for operation {@code operationId}.
     * Never throws: every failure is an answer that does not confirm.
     */
    Answer call(String action, long operationId, String operationKind, String database, String url, String username,
                String passwordEnv, Duration timeout) {
        String where = redacted(url);
        String envProblem = rules.passwordEnvProblem(passwordEnv);
        if (envProblem != null) {
            return new Answer(false, "agent " + where + " not called: " + envProblem, null, null);
        }
        String password = environment.getProperty(passwordEnv);
        if (password == null || password.isEmpty()) {
            return new Answer(false, "agent " + where + " not called: environment variable " + passwordEnv
                    + " is not set", null, null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operationId", operationId);
        body.put("operation", action);
        body.put("database", database);
        body.put("kind", operationKind);
        String authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        CompletableFuture<ResponseEntity<String>> call = CompletableFuture.supplyAsync(() -> http.post().uri(url)
                .contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .header(ReconnectCallouts.IDEMPOTENCY_KEY, key(operationId, action, database))
                .body(body).retrieve().toEntity(String.class), workers);
        ResponseEntity<String> response;
        try {
            response = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return failed(where, action, operationId, "no answer within the method's timeout of "
                    + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return failed(where, action, operationId, "interrupted while waiting for the agent");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RestClientResponseException r) {
                return failed(where, action, operationId, "answered HTTP " + r.getStatusCode().value());
            }
            // The innermost cause only: outer messages quote the whole address the call went to.
            Throwable root = cause;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return failed(where, action, operationId, "call failed: " + root.getClass().getSimpleName()
                    + (root.getMessage() == null || root == cause ? "" : ": " + truncate(root.getMessage(), 300)));
        }
        return interpret(where, action, operationId, response);
    }

    private Answer interpret(String where, String action, long operationId, ResponseEntity<String> response) {
        String field = "fence".equals(action) ? "fenced" : "unfenced";
        JsonNode answer;
        try {
            answer = response.getBody() == null ? null : json.readTree(response.getBody());
        } catch (Exception e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            return failed(where, action, operationId, "answered HTTP " + response.getStatusCode().value()
                    + " without a JSON object; \"" + field + "\": true is needed");
        }
        String method = text(answer.get("method"), 128);
        String evidence = text(answer.get("evidence"), MAX_EVIDENCE);
        JsonNode verdict = answer.get(field);
        if (verdict == null || !verdict.isBoolean() || !verdict.booleanValue()) {
            Answer refused = new Answer(false, "agent " + where + " did not confirm: \"" + field + "\" is "
                    + (verdict == null ? "missing" : truncate(verdict.toString(), 40))
                    + (evidence == null ? "" : " (" + truncate(evidence, 300) + ")"), method, evidence);
            log.warn("Operation {}: {}", operationId, refused.detail());
            return refused;
        }
        Answer confirmed = new Answer(true, "agent " + where + " confirmed " + field + (method == null ? "" : " by "
                + method), method, evidence);
        log.info("Operation {}: {}", operationId, confirmed.detail());
        return confirmed;
    }

    private static Answer failed(String where, String action, long operationId, String why) {
        Answer answer = new Answer(false, "agent " + where + " did not confirm the " + action + ": " + why, null, null);
        log.warn("Operation {}: {}", operationId, answer.detail());
        return answer;
    }

    private static String text(JsonNode node, int max) {
        return node == null || node.isNull() ? null : truncate(node.isTextual() ? node.textValue() : node.toString(), max);
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    /** Scheme, host, port and path of an agent's address: what answers and logs show of it. */
    static String redacted(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (RuntimeException e) {
            return "(invalid address)";
        }
    }

    /** Same operation, same action, same database: the same key on every try. */
    static String key(long operationId, String action, String database) {
        return "continuity-operation-" + operationId + "-" + action + "-" + database;
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }
}
