package dev.sco.orchestrator.platform.continuity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Supplies a {@link SyncControl} that says "no sync" when no synchronisation feature provides one. */
@Configuration(proxyBeanMethods = false)
class ContinuityConfiguration {

    @Bean
    @ConditionalOnMissingBean(SyncControl.class)
    SyncControl noSynchronisation() {
        return new NoSynchronisation();
    }

    /** No pair is synchronised: nothing to stop, no checkpoint, so the data-loss window is unknown. */
    static final class NoSynchronisation implements SyncControl {

        private static final Logger log = LoggerFactory.getLogger(NoSynchronisation.class);

        @Override
        public Optional<Instant> lastSuccessfulCheckpoint(String primary) {
            return Optional.empty();
        }

        @Override
        public List<TableCheckpoint> tableCheckpoints(String primary) {
            return List.of();
        }

        @Override
        public Duration interval(String primary) {
            return Duration.ZERO;
        }

        @Override
        public void stop(String primary, Duration wait) {
            log.info("No synchronisation is installed for {}: nothing to stop", primary);
        }

        @Override
        public void runNow(String primary) {
            throw new IllegalStateException("No synchronisation is installed for " + primary
                    + ": a planned failover needs a final sync");
        }

        @Override
        public void reinstall(String primary) {
            log.info("No synchronisation is installed for {}: nothing to reinstall", primary);
        }
    }
}
