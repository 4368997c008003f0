package dev.sco.orchestrator.sync;

import java.time.DateTimeException;
import java.time.Duration;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.quartz.JobDetail;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Validates the sync settings at start-up and declares the Quartz job the pair triggers fire. */
@Configuration(proxyBeanMethods = false)
class SyncConfiguration {

    SyncConfiguration(SyncSettings settings) {
        positive("ORCHESTRATOR_SYNC_INTERVAL", settings.interval());
        if (settings.interval().compareTo(Duration.ofMinutes(1)) < 0) {
            throw new InvalidSettingException("ORCHESTRATOR_SYNC_INTERVAL", "must be at least 1 minute");
        }
        if (settings.overlap() == null || settings.overlap().isNegative()) {
            throw new InvalidSettingException("ORCHESTRATOR_SYNC_OVERLAP", "must not be negative");
        }
        positive("ORCHESTRATOR_SYNC_STALE_AFTER", settings.staleAfter());
        positive("ORCHESTRATOR_SYNC_COPY_TIMEOUT", settings.copyTimeout());
        if (settings.failuresBeforeRecovery() < 1) {
            throw new InvalidSettingException("ORCHESTRATOR_SYNC_FAILURES_BEFORE_RECOVERY", "must be at least 1");
        }
        if (settings.windowMinutes() < 0 || settings.windowMinutes() >= 24 * 60) {
            throw new InvalidSettingException("ORCHESTRATOR_SYNC_WINDOW_MINUTES", "must be 0 (no window) to 1439");
        }
        try {
            MaintenanceWindow.of(settings);
        } catch (DateTimeException e) {
            throw new InvalidSettingException("ORCHESTRATOR_SYNC_WINDOW_START",
                    "must be a time HH:mm and ORCHESTRATOR_SYNC_WINDOW_ZONE a time zone id: " + e.getMessage());
        }
    }

    private static void positive(String setting, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidSettingException(setting, "must be positive");
        }
    }

    @Bean
    JobDetail syncRunJob() {
        return SyncSchedule.jobDetail();
    }
}
