package dev.sco.orchestrator.platform.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.sco.orchestrator.platform.target.TargetRules;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The credentials a callout to a server carries: HTTP Basic as the server's registered user, with
 * the password read from an environment variable at the moment of the call. Only the variable's
 * name is ever stored or shown. The variable must start with the target password prefix followed
 * by {@value #CALLOUT_INFIX} (by default {@code ORCHESTRATOR_TARGET_CALLOUT_...}): those who
 * register servers (operators) thereby cannot name a database password, which only DBAs register,
 * and have it sent to an address of their choosing.
 */
@Component
public class CalloutSecrets {

    public static final String CALLOUT_INFIX = "CALLOUT_";

    private final Environment environment;
    private final TargetRules rules;

    CalloutSecrets(Environment environment, TargetRules rules) {
        this.environment = environment;
        this.rules = rules;
    }

    /** The prefix a callout password variable must start with. */
    public String prefix() {
        return rules.passwordEnvPrefix() + CALLOUT_INFIX;
    }

    /** Why {@code passwordEnv} may not hold a callout password, or null when it may. */
    public String problem(String passwordEnv) {
        String general = rules.passwordEnvProblem(passwordEnv);
        if (general != null) {
            return general;
        }
        if (!passwordEnv.startsWith(prefix()) || passwordEnv.length() == prefix().length()) {
            return "'passwordEnv' must name a variable starting with " + prefix()
                    + " (callout passwords are kept apart from database passwords)";
        }
        return null;
    }

    /**
     * The {@code Authorization} header for the server's callouts: null when it has none registered.
     *
     * @throws IllegalStateException naming the variable (never its value) when it may not be used or is not set
     */
    public String authorization(String username, String passwordEnv) {
        if (username == null && passwordEnv == null) {
            return null;
        }
        String problem = passwordEnv == null ? "no password variable registered" : problem(passwordEnv);
        if (problem != null) {
            throw new IllegalStateException("callout credentials not usable: " + problem);
        }
        String password = environment.getProperty(passwordEnv);
        if (password == null || password.isEmpty()) {
            throw new IllegalStateException("environment variable " + passwordEnv + " is not set");
        }
        return "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
