package dev.sco.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A small HTTP client of the orchestrator API (and the engine REST API) for tests, authenticated as a demo user. */
public final class Api {

    public static final String DEMO = "demo:demo";
    public static final String DBA = "dba:dba";
    public static final String OPERATOR = "operator:operator";
    public static final String MID_ADMIN = "midadmin:midadmin";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final int port;
    private final String credentials;

    public Api(int port) {
        this(port, DEMO);
    }

    private Api(int port, String credentials) {
        this.port = port;
        this.credentials = credentials;
    }

    public Api as(String otherCredentials) {
        return new Api(port, otherCredentials);
    }

    /** Asserts an RFC 7807 answer with the status and the {@code field} property. */
    public static void assertProblem(Response response, int status, String field) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.field()).as("field of %s", response).isEqualTo(field);
        assertThat(response.text("detail")).isNotBlank();
    }

    /** A name no other test (nor the demo estate) uses. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response put(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode node = body == null || body.isEmpty() ? MissingNode.getInstance() : JSON.readTree(body);
            return new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request to this server; without credentials ({@code as(null)}) it carries no Authorization header. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (credentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    public record Response(int status, String contentType, JsonNode body) {

        public String field() {
            return body.path("field").asText(null);
        }

        public String text(String property) {
            return body.path(property).asText(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
