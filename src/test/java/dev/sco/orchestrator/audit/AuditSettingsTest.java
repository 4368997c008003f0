package dev.sco.orchestrator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AuditSettingsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
            .withUserConfiguration(AuditConfiguration.class);

    @Test
    void defaultsAreQuarterlyAndTwoWeeks() {
        context.run(started -> {
            AuditSettings settings = started.getBean("auditSettings", AuditSettings.class);
            assertThat(settings.getCycle()).isEqualTo("0 0 9 1 1/3 ?");
            assertThat(settings.getReviewDue()).isEqualTo("P14D");
        });
    }

    @Test
    void acceptsAnotherCronAndDuration() {
        context.withPropertyValues("orchestrator.audit.cycle=0 30 8 ? * MON", "orchestrator.audit.review-due=PT36H")
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void malformedCycleStopsStartNamingItsVariable() {
        assertRefused("orchestrator.audit.cycle=every quarter", "ORCHESTRATOR_AUDIT_CYCLE");
    }

    @Test
    void cronWithAYearFieldIsRefusedLikeTheEngineDoes() {
        assertRefused("orchestrator.audit.cycle=0 0 9 1 1/3 ? 2030", "ORCHESTRATOR_AUDIT_CYCLE");
    }

    @Test
    void repeatingIntervalIsRefusedBecauseItsNextFiringDependsOnWhenItIsComputed() {
        assertRefused("orchestrator.audit.cycle=R/P3M", "ORCHESTRATOR_AUDIT_CYCLE");
    }

    @Test
    void malformedOrZeroReviewDueStopsStartNamingItsVariable() {
        assertRefused("orchestrator.audit.review-due=14 days", "ORCHESTRATOR_AUDIT_REVIEW_DUE");
        assertRefused("orchestrator.audit.review-due=PT0S", "ORCHESTRATOR_AUDIT_REVIEW_DUE");
    }

    private void assertRefused(String property, String variable) {
        context.withPropertyValues(property).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith(variable + ": ");
        });
    }
}
