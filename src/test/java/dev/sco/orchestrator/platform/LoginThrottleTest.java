package dev.sco.orchestrator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.RawHttp;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Wrong passwords never lock a user (anyone could lock out a heartbeat sender); they block the
 * client address that sends them, for a while, on every surface that checks passwords.
 */
@OrchestratorTest
class LoginThrottleTest {

    private static final String ATTACKER = "127.0.0.2";
    private static final String WEBAPP_ATTACKER = "127.0.0.3";

    @LocalServerPort
    int port;
    @Autowired
    IdentityService identity;
    @Autowired
    LoginThrottle throttle;
    @Autowired
    MutableClock clock;

    private String sender;
    private final String password = "heartbeat-secret-1";

    @BeforeEach
    void createHeartbeatSender() {
        sender = Api.unique("hb");
        User user = identity.newUser(sender);
        user.setPassword(password);
        identity.saveUser(user);
        identity.createMembership(sender, Groups.HEARTBEAT_SENDERS);
    }

    @AfterEach
    void cleanUp() {
        clock.reset();
        throttle.forget(ATTACKER);
        throttle.forget(WEBAPP_ATTACKER);
        identity.deleteUser(sender);
    }

    @Test
    void theEngineNeverLocksAUserAfterWrongPasswords() {
        for (int i = 0; i < 20; i++) {
            assertThat(identity.checkPassword(sender, "wrong")).isFalse();
        }
        assertThat(identity.checkPassword(sender, password)).isTrue();
    }

    @Test
    void wrongPasswordsBlockTheSendingAddressNotTheUser() {
        Map<String, String> wrong = Map.of("Authorization", RawHttp.basic(sender + ":wrong"));
        for (int i = 0; i < 20; i++) {
            assertThat(RawHttp.send(ATTACKER, port, "GET", "/api/servers", wrong, null).status()).isEqualTo(401);
        }

        RawHttp.Response blocked = RawHttp.send(ATTACKER, port, "GET", "/api/servers", wrong, null);
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(blocked.headers().get("retry-after"))).isBetween(1L, 300L);
        Map<String, String> right = Map.of("Authorization", RawHttp.basic(sender + ":" + password));
        for (String path : new String[] {"/engine-rest/task", "/actuator/metrics", "/actuator/health"}) {
            assertThat(RawHttp.send(ATTACKER, port, "GET", path, right, null).status()).as(path).isEqualTo(429);
        }
        // Its own word about where it comes from does not help (X-Forwarded-For is not trusted by default).
        assertThat(RawHttp.send(ATTACKER, port, "GET", "/api/servers",
                Map.of("Authorization", right.get("Authorization"), "X-Forwarded-For", "203.0.113.9"), null).status())
                .isEqualTo(429);

        // The heartbeat sender itself, from its own address, is served at once.
        Api.Response beat = new Api(port).as(sender + ":" + password).post("/api/servers/ms-east-1/heartbeat");
        assertThat(beat.status()).as("%s", beat).isEqualTo(204);

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(RawHttp.send(ATTACKER, port, "POST", "/api/servers/ms-east-1/heartbeat", right, null).status())
                .isEqualTo(204);
    }

    @Test
    void webappLoginIsThrottledToo() {
        Map<String, String> form = webappSession();
        String body = "username=" + sender + "&password=wrong";
        String login = "/camunda/api/admin/auth/user/default/login/cockpit";
        for (int i = 0; i < 20; i++) {
            assertThat(RawHttp.send(WEBAPP_ATTACKER, port, "POST", login, form, body).status()).isEqualTo(401);
        }

        RawHttp.Response blocked = RawHttp.send(WEBAPP_ATTACKER, port, "POST", login, form, body);
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.headers()).containsKey("retry-after");
        assertThat(identity.checkPassword(sender, password)).isTrue();
    }

    /** The webapps' CSRF filter wants its token (cookie and header) and the session it belongs to. */
    private Map<String, String> webappSession() {
        RawHttp.Response page = RawHttp.send(WEBAPP_ATTACKER, port, "GET", "/camunda/app/cockpit/default/", Map.of(), null);
        Map<String, String> cookies = new java.util.LinkedHashMap<>();
        for (String cookie : page.headers().getOrDefault("set-cookie", "").split("\n")) {
            String pair = cookie.split(";")[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        assertThat(cookies).as("%s", page.headers()).containsKey("XSRF-TOKEN");
        String cookieHeader = String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        return Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", cookieHeader,
                "X-XSRF-TOKEN", cookies.get("XSRF-TOKEN"));
    }
}
