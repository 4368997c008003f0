package dev.sco.orchestrator.serverfailover;

import java.time.Duration;
import java.time.Instant;

/** The anti-flap rules of the detector, without a database or an engine. */
final class DetectorRules {

    enum Verdict { ACT, PAUSED, WITHIN_GRACE, ALREADY_FAILING_OVER, COOL_DOWN }

    record Decision(Verdict verdict, String reason) {
    }

    private DetectorRules() {
    }

    static Decision decide(DownServer down, Instant now, Duration grace, Duration cooldown) {
        return decide(down, now, grace, cooldown, null);
    }

    /**
     * A maintenance pause first ({@code heldBecause}: why the server, or the standby it would fail
     * over to, is held; null when neither is), then the anti-flap rules below. A held server's
     * outage is not claimed, so once the hold ends the rules decide about it afresh.
     */
    static Decision decide(DownServer down, Instant now, Duration grace, Duration cooldown, String heldBecause) {
        if (heldBecause != null) {
            return new Decision(Verdict.PAUSED, "Down since " + down.outageStart() + " (last heartbeat "
                    + down.lastPingAt() + "); " + heldBecause);
        }
        return rules(down, now, grace, cooldown);
    }

    /**
     * Grace first (a server that may still come back is not failed over), then an earlier failover
     * that has not ended, then the cool-down after the last failover.
     */
    private static Decision rules(DownServer down, Instant now, Duration grace, Duration cooldown) {
        Instant graceEnds = down.outageStart().plus(grace);
        if (now.isBefore(graceEnds)) {
            return new Decision(Verdict.WITHIN_GRACE, "Down since " + down.outageStart() + " (last heartbeat "
                    + down.lastPingAt() + "); within grace until " + graceEnds);
        }
        if (down.openOutageId() != null) {
            return new Decision(Verdict.ALREADY_FAILING_OVER, "Down since " + down.outageStart()
                    + "; already failing over: outage " + down.openOutageId() + " is " + down.openOutageState()
                    + " (process " + down.openProcessInstanceId() + ")");
        }
        if (down.lastFailoverAt() != null && now.isBefore(down.lastFailoverAt().plus(cooldown))) {
            return new Decision(Verdict.COOL_DOWN, "Down since " + down.outageStart() + "; cool-down after the failover of "
                    + down.lastFailoverAt() + " until " + down.lastFailoverAt().plus(cooldown));
        }
        return new Decision(Verdict.ACT, "Down since " + down.outageStart() + "; past grace, no failover open, "
                + "no cool-down");
    }
}
