package dev.sco.orchestrator.serverfailover;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the heartbeat failure detector runs and how it resists flapping servers.
 *
 * @param detectorInterval how often the detector looks for servers that went Down (default 60 s)
 * @param grace            how long after a server's unresponsive period the detector still waits
 *                         before it acts (default 30 s): a heartbeat inside it means no failover
 * @param cooldown         after a failover, how long a new outage of the same server starts no
 *                         new failover (default 10 min)
 */
@ConfigurationProperties("orchestrator.server-failover")
public record ServerFailoverSettings(
        @DefaultValue("60s") Duration detectorInterval,
        @DefaultValue("30s") Duration grace,
        @DefaultValue("10m") Duration cooldown) {
}
