package dev.sco.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON over HTTP Basic against one running orchestrator; every answer outside 2xx is an error. */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String baseUrl;

    ApiClient(HttpClient http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl;
    }

    static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    HttpRequest.Builder request(String path, String userAndPassword) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", basic(userAndPassword));
    }

    JsonNode get(String path, String user) throws IOException, InterruptedException {
        return send(request(path, user).GET().build());
    }

    JsonNode post(String path, String user, String json) throws IOException, InterruptedException {
        return send(request(path, user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
                    + response.statusCode() + ": " + abbreviate(response.body()));
        }
        String body = response.body();
        return body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
    }

    /** The project API writes ISO-8601 instants; the engine REST API its own pattern with a numeric offset. */
    static Instant instant(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String text = node.asText();
        if (text.endsWith("Z")) {
            return Instant.parse(text);
        }
        try {
            return OffsetDateTime.parse(text, TimerPunctuality.ENGINE_DATE).toInstant();
        } catch (RuntimeException notEngineFormat) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
