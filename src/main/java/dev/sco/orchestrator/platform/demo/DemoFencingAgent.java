package dev.sco.orchestrator.platform.demo;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.sco.orchestrator.platform.ApiUser;
import dev.sco.orchestrator.platform.EmbeddedPostgresServers;
import dev.sco.orchestrator.platform.Groups;
import dev.sco.orchestrator.platform.DemoUsers;
import dev.sco.orchestrator.platform.OrchestratorProperties;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Forbidden;
import dev.sco.orchestrator.platform.web.Inputs;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo estate's fencing agent (issue 17), so the unattended failover can be seen end to end:
 * {@code POST /api/demo/fencing-agent} fences the demo primary by stopping its embedded PostgreSQL
 * server, as a real agent would power off its VM, and unfences it by starting it again on the same
 * port. It exists only in the demo estate (no bean otherwise), answers only its own machine user
 * {@value #USER} (and administrators), and that user's password is new at every start: it lives
 * in memory, as the environment variable the registered agent method names, nowhere else.
 * <p>
 * At start-up it registers the demo primary's fencing methods, {@code sql} then this agent, unless
 * a DBA registered others; the address follows the port the server listens on. The SQL fence comes
 * first (a planned failover's final sync still reads the fenced primary); the agent fences when the
 * demo primary does not answer, for example after its server was killed.
 */
@RestController
@Conditional(DemoFencingAgent.DemoEstateOn.class)
class DemoFencingAgent {

    static final String PATH = "/api/demo/fencing-agent";
    static final String USER = "demo-fencing-agent";
    static final String PASSWORD_VARIABLE = "DEMO_FENCING_AGENT_PASSWORD";
    static final String FENCE_METHOD = "embedded-server-stop";

    private static final Logger log = LoggerFactory.getLogger(DemoFencingAgent.class);

    private final ObjectProvider<EmbeddedPostgresServers> embedded;
    private final IdentityService identity;
    private final ConfigurableEnvironment environment;
    private final JdbcClient orchestrator;
    private final OrchestratorProperties settings;
    private final Clock clock;

    DemoFencingAgent(ObjectProvider<EmbeddedPostgresServers> embedded, IdentityService identity,
                     ConfigurableEnvironment environment, JdbcClient orchestrator, OrchestratorProperties settings,
                     Clock clock) {
        this.embedded = embedded;
        this.identity = identity;
        this.environment = environment;
        this.orchestrator = orchestrator;
        this.settings = settings;
        this.clock = clock;
    }

    /** The demo estate is on (the same rule as {@link OrchestratorProperties#demoEnabled()}). */
    static final class DemoEstateOn implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return demoEnabled(context.getEnvironment());
        }
    }

    static boolean demoEnabled(Environment environment) {
        String demo = environment.getProperty("orchestrator.demo", "");
        if (demo.isBlank()) {
            return environment.getProperty("orchestrator.db.url", "").isBlank();
        }
        return Boolean.parseBoolean(demo.trim());
    }

    /** The name of the environment variable holding the agent user's password (it follows the target prefix). */
    String passwordEnv() {
        return settings.targets().passwordEnvPrefix() + PASSWORD_VARIABLE;
    }

    @EventListener
    void started(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return;
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        User user = identity.createUserQuery().userId(USER).singleResult();
        if (user == null) {
            user = identity.newUser(USER);
            user.setFirstName("Demo");
            user.setLastName("fencing agent");
            user.setEmail(DemoUsers.EMAIL);
        }
        if (!DemoUsers.EMAIL.equals(user.getEmail())) {
            log.warn("User '{}' exists and is not a demo user: the demo fencing agent is not registered", USER);
            return;
        }
        user.setPassword(password);
        identity.saveUser(user);
        environment.getPropertySources().addFirst(new MapPropertySource("demo-fencing-agent",
                Map.of(passwordEnv(), password)));
        String url = "http://localhost:" + event.getWebServer().getPort() + PATH;
        int registered = orchestrator.sql("""
                        insert into fencing_method (database, position, kind, updated_at, updated_by)
                        select :database, 0, 'sql', now(), 'demo-estate'
                         where exists (select 1 from database_endpoint where name = :database)
                           and not exists (select 1 from fencing_method where database = :database)""")
                .param("database", EmbeddedPostgresServers.DEMO_PRIMARY).update();
        if (registered == 1) {
            orchestrator.sql("""
                            insert into fencing_method (database, position, kind, url, username, password_env,
                                                        timeout_ms, updated_at, updated_by)
                            values (:database, 1, 'agent', :url, :user, :env, 10000, now(), 'demo-estate')""")
                    .param("database", EmbeddedPostgresServers.DEMO_PRIMARY).param("url", url).param("user", USER)
                    .param("env", passwordEnv()).update();
        } else {
            // A new port at every start: the demo agent's address follows it, nothing else is touched.
            orchestrator.sql("""
                            update fencing_method set url = :url, password_env = :env
                             where database = :database and kind = 'agent' and username = :user
                               and url like 'http://localhost:%' || :path""")
                    .param("url", url).param("env", passwordEnv()).param("database", EmbeddedPostgresServers.DEMO_PRIMARY)
                    .param("user", USER).param("path", PATH).update();
        }
        log.info("Demo fencing agent at {} (user {}): fences {} by stopping its embedded server", url, USER,
                EmbeddedPostgresServers.DEMO_PRIMARY);
    }

    /** What the orchestrator's {@code FencingAgents} sends. */
    record AgentRequest(Long operationId, String operation, String database, String kind) {
    }

    @PostMapping(PATH)
    synchronized Map<String, Object> fence(@RequestBody AgentRequest body, ApiUser user) {
        if (user == null || !(USER.equals(user.id()) || user.memberOf(Groups.ADMIN))) {
            throw new Forbidden("Only the demo fencing agent's own user (" + USER + ") or an administrator may call it");
        }
        String operation = Inputs.required("operation", body.operation());
        String database = Inputs.name("database", body.database());
        if (!EmbeddedPostgresServers.DEMO_PRIMARY.equals(database)) {
            throw new BadRequest("database", "The demo fencing agent fences " + EmbeddedPostgresServers.DEMO_PRIMARY
                    + " only");
        }
        EmbeddedPostgresServers servers = embedded.getObject();
        int port = servers.port(database);
        Map<String, Object> answer = new LinkedHashMap<>();
        switch (operation) {
            case "fence" -> {
                boolean stopped = servers.stop(database);
                boolean listening = listening(port);
                answer.put("fenced", !listening);
                answer.put("method", FENCE_METHOD);
                answer.put("evidence", "embedded PostgreSQL server " + database + " "
                        + (stopped ? "stopped" : "was already stopped") + " at " + clock.instant()
                        + " for operation " + body.operationId() + "; localhost:" + port
                        + (listening ? " STILL accepts connections" : " refuses connections"));
            }
            case "unfence" -> {
                boolean started = servers.restart(database);
                boolean listening = listening(port);
                answer.put("unfenced", listening);
                answer.put("method", "embedded-server-start");
                answer.put("evidence", "embedded PostgreSQL server " + database + " "
                        + (started ? "started again" : "was already running") + " at " + clock.instant()
                        + " for operation " + body.operationId() + "; localhost:" + port
                        + (listening ? " accepts connections" : " does NOT accept connections"));
            }
            default -> throw new BadRequest("operation", "'operation' must be fence or unfence");
        }
        log.warn("Demo fencing agent, called by {}: {}", user.id(), answer.get("evidence"));
        return answer;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
