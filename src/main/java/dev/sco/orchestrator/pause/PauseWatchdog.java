package dev.sco.orchestrator.pause;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Ends the pauses whose {@code until} has passed, each in its own transaction (see
 * {@link PauseService#end}); run by {@link PauseWatchdogJob} every
 * {@code ORCHESTRATOR_PAUSE_WATCHDOG_INTERVAL}. Safe on several nodes: the conditional UPDATE lets
 * one end each pause, the others skip it.
 */
@Component
public class PauseWatchdog {

    private static final Logger log = LoggerFactory.getLogger(PauseWatchdog.class);

    private final PauseRepository repository;
    private final PauseService service;
    private final Clock clock;

    PauseWatchdog(PauseRepository repository, PauseService service, Clock clock) {
        this.repository = repository;
        this.service = service;
        this.clock = clock;
    }

    /** One pass; returns how many pauses it ended. */
    public int pass() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Long> due = repository.due(now);
        int ended = 0;
        for (long id : due) {
            try {
                ended += service.end(id, PauseService.WATCHDOG, Pause.EXPIRED, now).isPresent() ? 1 : 0;
            } catch (RuntimeException e) {
                // Left active (the sensors keep holding off): the next pass tries again.
                log.error("Pause watchdog could not end maintenance pause {}", id, e);
            }
        }
        return ended;
    }
}
