package dev.sco.orchestrator.dbfailover;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP fencing agent and consumer reconnect endpoints for tests, on the JDK's HTTP server. The
 * agent ({@code /fence}) answers as {@link #behaviour} says and only to the expected Basic
 * credentials; each consumer's reconnect endpoint ({@code /reconnect/<consumer>}) confirms the move
 * or answers 204 as {@link #confirming} says.
 */
final class FencingAgentStub implements AutoCloseable {

    static final String PASSWORD_ENV = "ORCHESTRATOR_TARGET_TEST_FENCING_AGENT_PASSWORD";
    static final String USERNAME = "stonith";

    enum Behaviour { CONFIRM, REFUSE, SLOW, GARBAGE }

    record Call(String authorization, String idempotencyKey, String body) {
    }

    volatile Behaviour behaviour = Behaviour.CONFIRM;
    final String password = "agent-secret-" + java.util.UUID.randomUUID();
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final Map<String, Boolean> confirming = new ConcurrentHashMap<>();
    final List<String> reconnects = new CopyOnWriteArrayList<>();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    FencingAgentStub() throws IOException {
        System.setProperty(PASSWORD_ENV, password);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fence", this::agent);
        server.createContext("/reconnect/", this::reconnect);
        server.setExecutor(executor);
        server.start();
    }

    String agentUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fence";
    }

    String reconnectUrl(String consumer) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/reconnect/" + consumer;
    }

    /** The JSON of {@code PUT /api/databases/{name}/fencing} with an agent method for this stub. */
    String agentMethod(String timeout) {
        return "{\"kind\": \"agent\", \"url\": \"" + agentUrl() + "\", \"username\": \"" + USERNAME
                + "\", \"passwordEnv\": \"" + PASSWORD_ENV + "\", \"timeout\": \"" + timeout + "\"}";
    }

    private void agent(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        calls.add(new Call(authorization, exchange.getRequestHeaders().getFirst("Idempotency-Key"), body));
        String expected = "Basic " + Base64.getEncoder().encodeToString((USERNAME + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(authorization)) {
            answer(exchange, 401, "application/json", "{\"error\": \"who are you?\"}");
            return;
        }
        boolean unfence = body.contains("\"operation\":\"unfence\"");
        switch (behaviour) {
            case CONFIRM -> answer(exchange, 200, "application/json", unfence
                    ? "{\"unfenced\": true, \"method\": \"vm-start\", \"evidence\": \"vm started again\"}"
                    : "{\"fenced\": true, \"method\": \"vm-stop\", \"evidence\": \"hypervisor: vm db1 powered off\"}");
            case REFUSE -> answer(exchange, 200, "application/json",
                    "{\"fenced\": false, \"method\": \"vm-stop\", \"evidence\": \"hypervisor unreachable\"}");
            case SLOW -> {
                try {
                    Thread.sleep(3_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer(exchange, 200, "application/json", "{\"fenced\": true, \"method\": \"too-late\"}");
            }
            case GARBAGE -> answer(exchange, 200, "text/html", "<html>fenced: true</html>");
        }
    }

    private void reconnect(HttpExchange exchange) throws IOException {
        String consumer = exchange.getRequestURI().getPath().substring("/reconnect/".length());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        reconnects.add(consumer + " " + body);
        if (!confirming.getOrDefault(consumer, false)) {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
        }
        String operationId = body.replaceAll(".*\"operationId\":(\\d+).*", "$1");
        String from = body.replaceAll(".*\"from\":\"([^\"]+)\".*", "$1");
        String to = body.replaceAll(".*\"database\":\"([^\"]+)\".*", "$1");
        answer(exchange, 200, "application/json", "{\"operationId\": " + operationId
                + ", \"droppedConnectionsTo\": \"" + from + "\", \"writesTo\": \"" + to + "\"}");
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        System.clearProperty(PASSWORD_ENV);
    }
}
