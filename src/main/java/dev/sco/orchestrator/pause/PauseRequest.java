package dev.sco.orchestrator.pause;

import java.time.Duration;
import java.time.Instant;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;

/**
 * {@code POST /api/pauses}: {@code {"target": {"kind": "database", "name": "app-db"}, "reason": "...",
 * "until": "2026-12-03T18:00:00Z"}}. Who pauses is the authenticated user, never a body field.
 */
record PauseRequest(TargetRequest target, String reason, Instant until) {

    static final int REASON_MAX = 500;

    record TargetRequest(String kind, String name) {
    }

    /** A checked request: every field present and within its rules. */
    record Valid(TargetKind kind, String name, String reason, Instant until) {
    }

    /** Checks every field before anything is read or written; a refusal names the field. */
    Valid validate(Instant now, Duration maxDuration) {
        Inputs.required("target", target);
        String kindCode = Inputs.required("target.kind", target.kind());
        TargetKind kind = TargetKind.of(kindCode).orElseThrow(() -> new BadRequest("target.kind",
                "'target.kind' must be database, server or hub-pair"));
        String name = Inputs.name("target.name", target.name());
        String text = Inputs.text("reason", reason, REASON_MAX);
        Inputs.required("until", until);
        if (!until.isAfter(now)) {
            throw new BadRequest("until", "'until' must be in the future (it was " + until + ", now is " + now + ")");
        }
        if (until.isAfter(now.plus(maxDuration))) {
            throw new BadRequest("until", "'until' must be at most " + maxDuration.toString().substring(2).toLowerCase()
                    + " from now (ORCHESTRATOR_PAUSE_MAX_DURATION), at most " + now.plus(maxDuration));
        }
        return new Valid(kind, name, text, until);
    }
}
