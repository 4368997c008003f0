package dev.sco.orchestrator.serverfailover;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.sco.orchestrator.platform.http.CalloutAddress;
import dev.sco.orchestrator.platform.http.CalloutSecrets;
import dev.sco.orchestrator.platform.http.OutboundHttpConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Tells a management server which sites and jobs it runs now: {@code POST <assignmentUrl>} with
 * {@code {"outageId", "operation": "failover" | "failback", "server", "from", "sites": [...],
 * "jobs": [{"name", "kind", "site"}]}}, the server's registered HTTP Basic credentials, and an
 * {@code Idempotency-Key} that is the same on every try. Any 2xx answer means told. One call, no
 * retry here: the step retries through the engine. Logs and details show the address without its
 * query, never the credentials.
 */
@Component
class AssignmentCallouts {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Logger log = LoggerFactory.getLogger(AssignmentCallouts.class);

    private final RestClient http;
    private final CalloutSecrets secrets;

    AssignmentCallouts(@Qualifier(OutboundHttpConfiguration.OUTBOUND) RestClient http, CalloutSecrets secrets) {
        this.http = http;
        this.secrets = secrets;
    }

    static final String TOLD = "told";
    static final String NOT_TOLD = "not-told";
    static final String NO_ADDRESS = "no-address";

    record Result(String outcome, String detail) {

        boolean told() {
            return TOLD.equals(outcome);
        }
    }

    Result tell(Assignment assignment) {
        if (assignment.url() == null) {
            return new Result(NO_ADDRESS, "server " + assignment.server() + " has no assignmentUrl; tell it by hand");
        }
        String where = CalloutAddress.redacted(assignment.url());
        String authorization;
        try {
            authorization = assignment.auth() == null ? null
                    : secrets.authorization(assignment.auth().username(), assignment.auth().passwordEnv());
        } catch (IllegalStateException e) {
            return failed(assignment, where + " not called: " + e.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("outageId", assignment.outageId());
        body.put("operation", assignment.direction());
        body.put("server", assignment.server());
        body.put("from", assignment.from());
        body.put("sites", assignment.sites());
        body.put("jobs", assignment.jobs());
        try {
            int status = http.post().uri(assignment.url()).contentType(MediaType.APPLICATION_JSON)
                    .header(IDEMPOTENCY_KEY, assignment.idempotencyKey())
                    .headers(h -> {
                        if (authorization != null) {
                            h.set(HttpHeaders.AUTHORIZATION, authorization);
                        }
                    })
                    .body(body).retrieve().toBodilessEntity().getStatusCode().value();
            log.info("Outage {}: {} told at {} (HTTP {}) it runs {} sites and {} jobs ({})", assignment.outageId(),
                    assignment.server(), where, status, assignment.sites().size(), assignment.jobs().size(),
                    assignment.direction());
            return new Result(TOLD, where + " answered HTTP " + status);
        } catch (RestClientResponseException e) {
            return failed(assignment, where + " answered HTTP " + e.getStatusCode().value());
        } catch (RestClientException | IllegalArgumentException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return failed(assignment, where + " not reached: " + root.getClass().getSimpleName());
        }
    }

    private static Result failed(Assignment assignment, String why) {
        log.warn("Outage {}: {} not told of its {} assignment: {}", assignment.outageId(), assignment.server(),
                assignment.direction(), why);
        return new Result(NOT_TOLD, why);
    }
}
