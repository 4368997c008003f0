package dev.sco.orchestrator.chaos;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One orchestrator node: the packaged jar started with {@code java -jar} as its own operating
 * system process, with its own port, working directory and log file. It can be killed with
 * SIGKILL ({@link #kill}), stopped with SIGTERM ({@link #terminate}) and started again
 * ({@link #start}); each start is a new process (a new generation).
 */
final class JarNode {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    private final Path jar;
    private final Path dir;
    private final Map<String, String> settings;
    private final List<String> arguments;
    private Process process;
    private int port;
    private int generation;

    /**
     * @param settings  environment variables (the {@code ORCHESTRATOR_*} settings)
     * @param arguments further {@code --spring.property=value} arguments for what has no variable
     */
    JarNode(String name, Path jar, Path dir, Map<String, String> settings, List<String> arguments) {
        this.name = name;
        this.jar = jar;
        this.dir = dir;
        this.settings = new LinkedHashMap<>(settings);
        this.arguments = List.copyOf(arguments);
    }

    /** Starts a new process of this node on a free port (another one when the port was taken meanwhile). */
    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        generation++;
        Files.createDirectories(dir);
        port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", jar.toAbsolutePath().toString()));
        // Quartz instance ids name the node, so the test can tell which process holds a trigger.
        command.add("--spring.quartz.properties.org.quartz.scheduler.instanceId=" + quartzId());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                .directory(dir.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("ORCHESTRATOR_"));
        builder.environment().putAll(settings);
        builder.environment().put("ORCHESTRATOR_PORT", String.valueOf(port));
        Files.writeString(log(), "%n===== %s generation %d on port %d at %s =====%n".formatted(name, generation, port,
                Instant.now()), StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        process = builder.start();
    }

    String quartzId() {
        return "chaos-" + name + "-" + generation;
    }

    /**
     * Waits until the node answers ready. A process that died because its port was taken by
     * someone else between the choice and the bind is started again on another port.
     */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                String log = Files.readString(log(), StandardCharsets.UTF_8);
                // Only this generation's part of the log (each start appends a header).
                String current = log.substring(Math.max(0, log.lastIndexOf("===== " + name + " generation")));
                if (current.contains("Port " + port + " was already in use")) {
                    start();
                    continue;
                }
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready; see "
                        + log());
            }
            if (status("/actuator/health/readiness") == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log());
    }

    /** SIGKILL: the JVM dies at once, nothing of it runs any more (no shutdown hook, no rollback of its own). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as an operator or a container runtime stops a service; returns how long the process took to exit. */
    Duration terminate(Duration patience) throws InterruptedException {
        Instant sent = Instant.now();
        process.destroy();
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not stop within " + patience + " of SIGTERM; see " + log());
        }
        return Duration.between(sent, Instant.now());
    }

    void sigterm() {
        process.destroy();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    int generation() {
        return generation;
    }

    Path log() {
        return dir.resolve(name + ".log");
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A JSON call as {@code user:password}; fails unless the answer is 2xx. */
    JsonNode call(String method, String path, String credentials, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .header("Accept", "application/json");
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " on " + name + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " on " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public String toString() {
        return name + "#" + generation + (process == null ? "" : " (pid " + process.pid() + ")");
    }
}
