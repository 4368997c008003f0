package dev.sco.orchestrator.estate;

import dev.sco.orchestrator.platform.http.CalloutAddress;
import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/**
 * Body of {@code PUT /api/servers/{name}}; a missing period means the default of 180 s. The
 * callout addresses are optional: {@code reconnectUrl} (a consumer told to reconnect after a
 * database failover), {@code assignmentUrl} (a management server told which sites and jobs it runs
 * after a server failover or failback), and {@code calloutAuth}, the HTTP Basic credentials both
 * calls carry (the password as the name of an environment variable).
 */
record ServerRequest(ServerKind kind, String site, String standby, Integer unresponsivePeriodSeconds,
                     String reconnectUrl, String assignmentUrl, CalloutAuth calloutAuth) {

    static final int DEFAULT_PERIOD_SECONDS = 180;
    static final int MAX_PERIOD_SECONDS = 86_400;

    ServerRequest(ServerKind kind, String site, String standby, Integer unresponsivePeriodSeconds) {
        this(kind, site, standby, unresponsivePeriodSeconds, null, null, null);
    }

    void validate(String name) {
        Inputs.required("kind", kind);
        Inputs.optionalName("site", site);
        Inputs.optionalName("standby", standby);
        if (name.equals(standby)) {
            throw new BadRequest("standby", "A server cannot be its own standby");
        }
        if (unresponsivePeriodSeconds != null) {
            Inputs.range("unresponsivePeriodSeconds", unresponsivePeriodSeconds, 1, MAX_PERIOD_SECONDS);
        }
        if (reconnectUrl != null) {
            CalloutAddress.check("reconnectUrl", reconnectUrl);
        }
        if (assignmentUrl != null) {
            CalloutAddress.check("assignmentUrl", assignmentUrl);
            if (kind != ServerKind.MANAGEMENT) {
                throw new BadRequest("assignmentUrl", "'assignmentUrl' belongs to management servers only (they run "
                        + "sites and jobs); this server is " + kind);
            }
        }
        if (calloutAuth != null) {
            String username = Inputs.text("calloutAuth.username", calloutAuth.username(), 128);
            if (username.contains(":")) {
                throw new BadRequest("calloutAuth.username", "'calloutAuth.username' must not contain ':'");
            }
            Inputs.required("calloutAuth.passwordEnv", calloutAuth.passwordEnv());
            if (reconnectUrl == null && assignmentUrl == null) {
                throw new BadRequest("calloutAuth", "'calloutAuth' needs a reconnectUrl or an assignmentUrl to be sent to");
            }
        }
    }

    int periodOrDefault() {
        return unresponsivePeriodSeconds == null ? DEFAULT_PERIOD_SECONDS : unresponsivePeriodSeconds;
    }
}
