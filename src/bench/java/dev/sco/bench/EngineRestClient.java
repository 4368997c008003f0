package dev.sco.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Deploys the benchmark model through {@code /engine-rest} and starts it many times from a fixed
 * number of client threads, each sending one request after the other (closed loop).
 */
final class EngineRestClient {

    static final String PROCESS_KEY = "benchStartToUserTaskProcess";

    /** Start → user task → end; no scripts, history kept one day. */
    static final String MODEL = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                              xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                              id="benchDefinitions" targetNamespace="http://sco.dev/bench">
              <bpmn:process id="benchStartToUserTaskProcess" name="Benchmark: start to user task"
                            isExecutable="true" camunda:historyTimeToLive="P1D">
                <bpmn:startEvent id="started">
                  <bpmn:outgoing>toTask</bpmn:outgoing>
                </bpmn:startEvent>
                <bpmn:sequenceFlow id="toTask" sourceRef="started" targetRef="benchTask"/>
                <bpmn:userTask id="benchTask" name="Look at it">
                  <bpmn:incoming>toTask</bpmn:incoming>
                  <bpmn:outgoing>toEnd</bpmn:outgoing>
                </bpmn:userTask>
                <bpmn:sequenceFlow id="toEnd" sourceRef="benchTask" targetRef="ended"/>
                <bpmn:endEvent id="ended">
                  <bpmn:incoming>toEnd</bpmn:incoming>
                </bpmn:endEvent>
              </bpmn:process>
            </bpmn:definitions>
            """;

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String baseUrl;
    private final Optional<String> authorization;

    EngineRestClient(HttpClient http, String baseUrl, Optional<String> basicUserAndPassword) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.authorization = basicUserAndPassword.map(
                up -> "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code POST /engine-rest/deployment/create}, multipart, as the Camunda REST reference describes. */
    void deployModel() throws IOException, InterruptedException {
        deployModel("bench-start-to-user-task.bpmn", MODEL);
    }

    void deployModel(String fileName, String model) throws IOException, InterruptedException {
        String boundary = "bench-" + UUID.randomUUID();
        StringBuilder body = new StringBuilder();
        part(body, boundary, "deployment-name", null, "benchmark");
        part(body, boundary, "deploy-changed-only", null, "true");
        part(body, boundary, "enable-duplicate-filtering", null, "true");
        part(body, boundary, "data", fileName, model);
        body.append("--").append(boundary).append("--\r\n");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/engine-rest/deployment/create"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        authorization.ifPresent(a -> request.header("Authorization", a));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("deployment answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** A request to {@code baseUrl + path} with this client's timeout and credentials. */
    HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT);
        authorization.ifPresent(a -> request.header("Authorization", a));
        return request;
    }

    private static void part(StringBuilder body, String boundary, String name, String fileName, String content) {
        body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append('"');
        if (fileName != null) {
            body.append("; filename=\"").append(fileName).append("\"\r\nContent-Type: application/octet-stream");
        }
        body.append("\r\n\r\n").append(content).append("\r\n");
    }

    /**
     * Sends {@code count} starts from {@code threads} threads; stops early (and says so in the
     * result) when {@code limit} runs out. Each answer must be 200.
     */
    LatencyStats startInstances(int count, int threads, Duration limit) throws InterruptedException {
        HttpRequest.Builder template = HttpRequest.newBuilder(
                        URI.create(baseUrl + "/engine-rest/process-definition/key/" + PROCESS_KEY + "/start"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        authorization.ifPresent(a -> template.header("Authorization", a));
        HttpRequest start = template.build();

        return ClosedLoop.run(http, "bench-client", count, threads, limit, i -> start, response ->
                response.statusCode() == 200 ? null
                        : "HTTP " + response.statusCode() + ": " + abbreviate(response.body()));
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
