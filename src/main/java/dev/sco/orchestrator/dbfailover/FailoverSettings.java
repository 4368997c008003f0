package dev.sco.orchestrator.dbfailover;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param probeInterval          how often the health probe sensor checks every primary
 * @param probeFailures          consecutive failed probes that start an unplanned failover
 * @param probeTimeout           how long one probe may take
 * @param autoApproveMaxDataLoss unplanned failovers whose data-loss window is below this bound are
 *                               approved by policy; zero (the default) means a DBA always approves
 * @param verifyTimeout          how long verification waits for every consumer to reconnect
 * @param verifyPoll             the poll timer between two looks of a verification
 * @param requesterMayApprove    whether the user who requested a failover or restoration may also
 *                               approve it: {@code true}, {@code false}, or empty for the default
 *                               (allowed only in the demo estate)
 * @param autoApproveSqlFenceOnly whether the policy may also approve failovers of databases that
 *                               only the orchestrator's own SQL fence can fence (no {@code agent}
 *                               or {@code writers} method registered): such a failover of an
 *                               unreachable primary still stops for a DBA's acknowledgement, but
 *                               nobody decided whether to fail over at all. Off by default; a
 *                               warning at start-up when on
 */
@ConfigurationProperties("orchestrator.failover")
public record FailoverSettings(
        @DefaultValue("5s") Duration probeInterval,
        @DefaultValue("3") int probeFailures,
        @DefaultValue("2s") Duration probeTimeout,
        @DefaultValue("0s") Duration autoApproveMaxDataLoss,
        @DefaultValue("60s") Duration verifyTimeout,
        @DefaultValue("1s") Duration verifyPoll,
        @DefaultValue("") String requesterMayApprove,
        @DefaultValue("false") boolean autoApproveSqlFenceOnly) {

    public boolean requesterMayApprove(boolean demoEstate) {
        return requesterMayApprove == null || requesterMayApprove.isBlank() ? demoEstate
                : Boolean.parseBoolean(requesterMayApprove.trim());
    }

    public boolean autoApproveEnabled() {
        return !autoApproveMaxDataLoss.isZero() && !autoApproveMaxDataLoss.isNegative();
    }
}
