package dev.sco.orchestrator.sync;

import dev.sco.orchestrator.platform.continuity.FiveFieldCron;
import dev.sco.orchestrator.platform.continuity.GroomingSchedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The maintenance window of each pair, read at every use (a grooming job registered or changed
 * through the API counts at once, on every node): the primary's scheduled grooming job when one is
 * registered, else the fixed daily slot of the settings.
 */
@Component
class PairWindows {

    private static final Logger log = LoggerFactory.getLogger(PairWindows.class);

    private final GroomingSchedules grooming;
    private final MaintenanceWindow fixed;

    PairWindows(GroomingSchedules grooming, SyncSettings settings) {
        this.grooming = grooming;
        this.fixed = MaintenanceWindow.of(settings);
    }

    PairWindow of(String primary) {
        return grooming.of(primary).<PairWindow>map(g -> {
            try {
                return new GroomingWindow(g.job(), FiveFieldCron.parse(g.cron()), g.zone(), g.expected());
            } catch (IllegalArgumentException e) {
                // Checked when registered; a row changed by hand falls back to the fixed slot.
                log.warn("Grooming job {} of {} has an unusable schedule '{}' ({}); the fixed window applies",
                        g.job(), primary, g.cron(), e.getMessage());
                return null;
            }
        }).orElse(fixed);
    }

    /** The fixed daily slot of the settings. */
    MaintenanceWindow fixed() {
        return fixed;
    }
}
