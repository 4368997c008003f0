package dev.sco.orchestrator.platform;

import java.util.function.Supplier;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * Runs engine calls that the orchestrator makes on its own account. An API request is authorized
 * by the orchestrator's own group checks; what the orchestrator then does in the engine (start a
 * process, correlate a resolution) must not depend on the caller's engine permissions. Who asked
 * is kept in the operation's own records and variables instead.
 */
@Component
public class AsSystem {

    private final IdentityService identity;

    AsSystem(IdentityService identity) {
        this.identity = identity;
    }

    public <T> T call(Supplier<T> work) {
        Authentication caller = identity.getCurrentAuthentication();
        if (caller == null) {
            return work.get();
        }
        identity.clearAuthentication();
        try {
            return work.get();
        } finally {
            identity.setAuthentication(caller);
        }
    }

    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }
}
