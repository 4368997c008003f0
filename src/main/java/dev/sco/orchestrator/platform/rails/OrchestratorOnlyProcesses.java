package dev.sco.orchestrator.platform.rails;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Processes only the orchestrator starts, from a record it made first: a hub takeover after the
 * standby watch promoted a hub, an agent issue after a post-clone check opened it, the review of a
 * target whose maintenance pause ended while it was unhealthy. Started by
 * hand they would have no record to work on, so nobody starts them by hand, administrators included.
 */
@Configuration(proxyBeanMethods = false)
class OrchestratorOnlyProcesses {

    @Bean
    StartRules hubTakeoverStartRules() {
        return orchestratorOnly("hubTakeoverProcess");
    }

    @Bean
    StartRules agentIssueStartRules() {
        return orchestratorOnly("agentIssueProcess");
    }

    @Bean
    StartRules maintenancePauseReviewStartRules() {
        return orchestratorOnly("maintenancePauseReviewProcess");
    }

    private static StartRules orchestratorOnly(String key) {
        return new StartRules() {
            @Override
            public String processKey() {
                return key;
            }

            @Override
            public List<String> startingGroups() {
                return List.of();
            }

            @Override
            public List<String> accepted() {
                return List.of();
            }

            @Override
            public void check(StartVariables variables) {
                // never reached: startingGroups() is empty, so every start by hand is refused before
            }
        };
    }
}
