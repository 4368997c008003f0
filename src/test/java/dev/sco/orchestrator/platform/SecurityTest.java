package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.sco.orchestrator.OrchestratorTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

@OrchestratorTest
class SecurityTest {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void engineRestAndApiRefuseRequestsWithoutCredentials() throws Exception {
        assertThat(get("/engine-rest/process-definition", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/servers", null).statusCode()).isEqualTo(401);
        assertThat(get("/engine-rest/engine", null).statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        assertThat(get("/engine-rest/process-definition", "midadmin:wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/servers", "midadmin:wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void demoOperatorCanListProcessDefinitions() throws Exception {
        HttpResponse<String> response = get("/engine-rest/process-definition", "operator:operator");
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (credentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
