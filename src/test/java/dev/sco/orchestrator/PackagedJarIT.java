package dev.sco.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The executable jar, started as an operator would: it becomes ready on the embedded default and
 * deploys every model of {@code processes/} (the engine's classpath scanning sees nothing inside
 * the jar, which only this test can catch).
 */
class PackagedJarIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void executableJarStartsAndDeploysEveryProcess() throws Exception {
        Path jar = Path.of(System.getProperty("orchestrator.jar", "target/orchestrator.jar"));
        Path dataDir = Files.createTempDirectory(Path.of("target"), "jar-it-");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("service.log").toFile())
                .directory(dataDir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("ORCHESTRATOR_"));
        builder.environment().put("ORCHESTRATOR_PORT", String.valueOf(port));
        builder.environment().put("ORCHESTRATOR_DATA_DIR", dataDir.resolve("data").toString());
        Process service = builder.start();
        try {
            String base = "http://127.0.0.1:" + port;
            // Up to 4 minutes: on a shared 2-core machine under load the jar has taken 137 s to start.
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                    .until(() -> status(base + "/actuator/health/readiness") == 200);

            long models;
            try (Stream<Path> files = Files.list(Path.of("processes"))) {
                models = files.filter(f -> f.toString().endsWith(".bpmn")).count();
            }
            HttpResponse<String> count = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/engine-rest/process-definition/count?latestVersion=true"))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString("demo:demo".getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(count.body()).isEqualTo("{\"count\":" + models + "}");

            // The safety rails hold in the jar as shipped: anonymous health says only the status,
            // a working group cannot start a process at an inner step nor without its variables.
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("\"status\"").doesNotContain("components", "targets");
            String start = base + "/engine-rest/process-definition/key/databaseFailoverProcess/start";
            assertThat(post(start, "dba:dba", """
                    {"startInstructions": [{"type": "startBeforeActivity", "activityId": "ServiceTask_FenceOldPrimary"}]}""")
                    .statusCode()).isEqualTo(403);
            HttpResponse<String> missing = post(start, "dba:dba", "{}");
            assertThat(missing.statusCode()).isEqualTo(400);
            assertThat(missing.body()).contains("variables.database");

            // The continuity console ships in the jar: Cockpit's configuration is the service's own
            // (it registers the plugin), and the charts library is served from the jar, not a CDN.
            HttpResponse<String> config = http.send(HttpRequest.newBuilder(
                    URI.create(base + "/camunda/app/cockpit/scripts/config.js")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(config.body()).contains("continuity/plugin");
            assertThat(status(base + "/camunda/app/cockpit/continuity/plugin.js")).isEqualTo(200);
            assertThat(status(base + "/webjars/echarts/5.3.1/dist/echarts.esm.min.js")).isEqualTo(200);
        } finally {
            service.destroy();
            if (!service.waitFor(60, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> post(String url, String credentials, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
