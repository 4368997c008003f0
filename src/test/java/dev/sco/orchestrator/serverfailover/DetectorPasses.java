package dev.sco.orchestrator.serverfailover;

import java.time.Instant;

import org.springframework.context.ApplicationContext;

/** Runs a heartbeat detector pass at a chosen time, for tests outside this package. */
public final class DetectorPasses {

    private DetectorPasses() {
    }

    public static void pass(ApplicationContext context, Instant now) {
        context.getBean(HeartbeatDetector.class).pass(now);
    }
}
