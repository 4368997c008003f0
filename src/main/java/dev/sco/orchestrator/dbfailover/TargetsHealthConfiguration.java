package dev.sco.orchestrator.dbfailover;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.sco.orchestrator.pause.Pauses;
import dev.sco.orchestrator.pause.TargetKind;
import dev.sco.orchestrator.platform.target.DatabaseEndpoint;
import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.StatusAggregator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health component {@code targets}: one entry per registered target database, read from the health
 * probe sensor's last result in the orchestrator database (table {@code database_probe_state}).
 * A health request never connects to a target: before, every request opened a fresh connection to
 * every target, so a flood of (anonymous) health requests could use up a primary's connection slots
 * and make the sensor see "too many clients" and fail a healthy primary over.
 * <p>
 * The component is shown only in its own group, {@code /actuator/health/targets}; it is taken out
 * of the overall status (and so of liveness and readiness, which include only their own members),
 * because a target that is down must not take the orchestrator out of service exactly when it is
 * needed to fail that target over. Details (error texts, roles) are for authorized users only
 * ({@code management.endpoint.health.show-details: when-authorized}). A database held by a
 * maintenance pause (or its pending review) carries the detail {@code maintenancePause}.
 */
@Configuration(proxyBeanMethods = false)
class TargetsHealthConfiguration {

    static final String COMPONENT = "targets";

    @Bean("targetsHealthContributor")
    HealthContributor targetsHealthContributor(TargetDatabases targets, FailoverRepository repository,
                                               Pauses pauses) {
        return new ProbeStateContributor(targets, repository, pauses);
    }

    /**
     * Keeps {@value #COMPONENT} out of the overall status; its own group still reports it. The group
     * is also left out of the group names the overall health lists to everyone (anonymous callers
     * learn nothing about targets); {@code /actuator/health/targets} answers all the same.
     */
    @Bean
    HealthEndpointGroupsPostProcessor targetsOutsideOverallStatus() {
        return groups -> {
            HealthEndpointGroup primary = new WithoutTargets(groups.getPrimary());
            Set<String> listed = groups.getNames().stream().filter(name -> !COMPONENT.equals(name))
                    .collect(Collectors.toUnmodifiableSet());
            return new HealthEndpointGroups() {
                @Override
                public HealthEndpointGroup getPrimary() {
                    return primary;
                }

                @Override
                public Set<String> getNames() {
                    return listed;
                }

                @Override
                public HealthEndpointGroup get(String name) {
                    return groups.get(name);
                }
            };
        };
    }

    private record WithoutTargets(HealthEndpointGroup primary) implements HealthEndpointGroup {

        @Override
        public boolean isMember(String name) {
            return !COMPONENT.equals(name) && !name.startsWith(COMPONENT + "/") && primary.isMember(name);
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return primary.showComponents(securityContext);
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return primary.showDetails(securityContext);
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return primary.getStatusAggregator();
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return primary.getHttpCodeStatusMapper();
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return primary.getAdditionalPath();
        }
    }

    /** One indicator per endpoint; a request reads the probe state with one orchestrator query. */
    static final class ProbeStateContributor implements CompositeHealthContributor {

        private final TargetDatabases targets;
        private final FailoverRepository repository;
        private final Pauses pauses;

        ProbeStateContributor(TargetDatabases targets, FailoverRepository repository, Pauses pauses) {
            this.targets = targets;
            this.repository = repository;
            this.pauses = pauses;
        }

        @Override
        public HealthContributor getContributor(String name) {
            Map<String, Pauses.Hold> held = pauses.held(TargetKind.DATABASE);
            return targets.find(name)
                    .map(endpoint -> indicator(endpoint, repository.probeState(name), held.get(name)))
                    .orElse(null);
        }

        @Override
        public Iterator<NamedContributor<HealthContributor>> iterator() {
            Map<String, FailoverRepository.ProbeState> states = repository.probeStates().stream()
                    .collect(Collectors.toMap(FailoverRepository.ProbeState::database, state -> state));
            Map<String, Pauses.Hold> held = pauses.held(TargetKind.DATABASE);
            List<DatabaseEndpoint> endpoints = targets.endpoints();
            return endpoints.stream()
                    .map(endpoint -> NamedContributor.of(endpoint.name(),
                            indicator(endpoint, Optional.ofNullable(states.get(endpoint.name())),
                                    held.get(endpoint.name()))))
                    .iterator();
        }

        private static HealthContributor indicator(DatabaseEndpoint endpoint,
                                                   Optional<FailoverRepository.ProbeState> state, Pauses.Hold hold) {
            Health health = health(endpoint, state);
            if (hold != null) {
                health = Health.status(health.getStatus()).withDetails(health.getDetails())
                        .withDetail("maintenancePause", hold.describe()).build();
            }
            Health shown = health;
            return (HealthIndicator) () -> shown;
        }

        static Health health(DatabaseEndpoint endpoint, Optional<FailoverRepository.ProbeState> state) {
            Health.Builder health = state.map(s -> switch (s.classification()) {
                case REACHABLE -> Health.up();
                case UNREACHABLE, REFUSED -> Health.down();
            }).orElseGet(Health::unknown);
            health.withDetail("role", endpoint.role());
            if (endpoint.pairedWith() != null) {
                health.withDetail("pairedWith", endpoint.pairedWith());
            }
            if (state.isEmpty()) {
                return health.withDetail("probe", "not probed: the health probe sensor checks paired primaries "
                        + "and their failover partners only").build();
            }
            FailoverRepository.ProbeState s = state.get();
            health.withDetail("classification", s.classification().code())
                    .withDetail("lastProbeAt", s.lastProbeAt().toString())
                    .withDetail("consecutiveFailures", s.consecutiveFailures());
            if (s.latencyMs() != null) {
                health.withDetail("latencyMs", s.latencyMs());
            }
            if (s.lastError() != null) {
                health.withDetail("error", s.lastError());
            }
            return health.build();
        }
    }
}
