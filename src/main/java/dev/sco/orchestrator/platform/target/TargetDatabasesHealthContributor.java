package dev.sco.orchestrator.platform.target;

import java.time.Duration;
import java.util.Iterator;

import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code targets}: one indicator per registered endpoint, read
 * afresh at every request. Details name the role and what the server answered; never the URL
 * (it may carry credentials) nor the password.
 */
@Component("targetsHealthContributor")
class TargetDatabasesHealthContributor implements CompositeHealthContributor {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final TargetDatabases targets;

    TargetDatabasesHealthContributor(TargetDatabases targets) {
        this.targets = targets;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return targets.find(name).map(this::indicator).orElse(null);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return targets.endpoints().stream()
                .map(endpoint -> NamedContributor.of(endpoint.name(), indicator(endpoint)))
                .iterator();
    }

    private HealthContributor indicator(DatabaseEndpoint endpoint) {
        return (HealthIndicator) () -> health(endpoint);
    }

    private Health health(DatabaseEndpoint endpoint) {
        ProbeResult probe = targets.probe(endpoint.name(), PROBE_TIMEOUT);
        Health.Builder health = probe.reachable() ? Health.up() : Health.down();
        health.withDetail("role", endpoint.role());
        if (endpoint.pairedWith() != null) {
            health.withDetail("pairedWith", endpoint.pairedWith());
        }
        health.withDetail("reachable", probe.reachable());
        if (probe.reachable()) {
            health.withDetail("serverVersion", probe.serverVersion())
                    .withDetail("inRecovery", probe.inRecovery())
                    .withDetail("readOnly", probe.readOnly());
        } else {
            health.withDetail("error", String.valueOf(probe.error()));
        }
        return health.withDetail("latencyMs", probe.latency().toMillis()).build();
    }
}
