package dev.sco.orchestrator.standby;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A hub pair driven over the API, as hubs and operators would (user demo, all groups). */
final class Hubs {

    static final String A = "hub-a";
    static final String B = "hub-b";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final String pair = "pair-" + UUID.randomUUID().toString().substring(0, 8);
    private final int port;

    Hubs(int port) {
        this.port = port;
    }

    /** Registers the pair: hub-a primary, hub-b secondary, lost after 15 s of silence. */
    Hubs create() {
        Response created = put("/api/hubs/" + pair, Map.of("primary", A, "secondary", B, "heartbeatTimeoutSeconds", 15));
        if (created.status() != 201) {
            throw new IllegalStateException("pair not created: " + created);
        }
        return this;
    }

    void beat(String hub) {
        Response beat = post("/api/hubs/" + pair + "/" + hub + "/heartbeat");
        if (beat.status() != 204) {
            throw new IllegalStateException("heartbeat refused: " + beat);
        }
    }

    Response define(String hub, String name, String kind, String definition) {
        return put("/api/hubs/" + pair + "/" + hub + "/definitions/" + name,
                Map.of("kind", kind, "definition", definition));
    }

    Response policy(String name, String state, int step) {
        return put("/api/hubs/" + pair + "/policies/" + name, Map.of("state", state, "step", step));
    }

    JsonNode definitions(String hub) {
        return get("/api/hubs/" + pair + "/" + hub + "/definitions").body();
    }

    Response pairState() {
        return get("/api/hubs/" + pair);
    }

    Response standby() {
        return get("/api/hubs/" + pair + "/standby");
    }

    Response connect(String via) {
        return get("/api/hubs/" + pair + "/connect" + (via == null ? "" : "?via=" + via));
    }

    Response get(String path) {
        return send(request(path).GET());
    }

    Response put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : json(body))));
    }

    Response post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode node = body == null || body.isEmpty() ? MissingNode.getInstance() : JSON.readTree(body);
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8)));
    }

    record Response(int status, String contentType, JsonNode body) {

        String text(String property) {
            return body.path(property).asText(null);
        }

        String field() {
            return text("field");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
