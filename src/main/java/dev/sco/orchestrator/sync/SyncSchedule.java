package dev.sco.orchestrator.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import dev.sco.orchestrator.platform.target.TargetDatabases;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * One Quartz trigger per pair ({@code sync/<primary>}) in the clustered store, repeating every
 * {@code interval} and skipping the maintenance window through a Quartz calendar. Ticks are
 * aligned on the window's end, so the run that was due inside the window starts when it ends.
 * A tick missed while no node was up is not made up: the next regular tick runs (misfire policy
 * "next with remaining count").
 */
@Component
class SyncSchedule {

    static final String GROUP = "sync";
    static final String CALENDAR = "sync-maintenance-window";
    static final JobKey JOB = JobKey.jobKey("sync-run", GROUP);
    static final String DATABASE = "database";

    private static final Logger log = LoggerFactory.getLogger(SyncSchedule.class);

    private final Scheduler scheduler;
    private final SyncSettings settings;
    private final MaintenanceWindow window;
    private final TargetDatabases targets;
    private final SyncRepository repository;
    private final Clock clock;

    private final PairWindows windows;

    SyncSchedule(Scheduler scheduler, SyncSettings settings, TargetDatabases targets, SyncRepository repository,
                 Clock clock, PairWindows windows) {
        this.scheduler = scheduler;
        this.settings = settings;
        this.windows = windows;
        this.window = windows.fixed();
        this.targets = targets;
        this.repository = repository;
        this.clock = clock;
    }

    /** This node's Quartz scheduler instance id (unique in the cluster; gone from it when the node stops). */
    String instanceId() {
        try {
            return scheduler.getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new IllegalStateException("Quartz scheduler has no instance id", e);
        }
    }

    static JobDetail jobDetail() {
        return JobBuilder.newJob(SyncRunJob.class).withIdentity(JOB)
                .withDescription("Synchronises a primary database to its failover database").storeDurably().build();
    }

    /**
     * Schedules every registered pair at start-up. A pair registered later is scheduled when its
     * tables are set (and, should that have been missed, by its first manual run).
     */
    @EventListener(ApplicationReadyEvent.class)
    void scheduleAll() {
        if (!settings.schedule()) {
            log.warn("Sync schedule is off (ORCHESTRATOR_SYNC_SCHEDULE=false): pairs sync only when asked");
            return;
        }
        try {
            if (window.enabled()) {
                scheduler.addCalendar(CALENDAR, window.quartzCalendar(), true, true);
            } else if (scheduler.getCalendar(CALENDAR) != null) {
                scheduler.deleteCalendar(CALENDAR);
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot store the sync maintenance window calendar", e);
        }
        targets.endpoints().stream()
                .filter(e -> "primary".equals(e.role()) && e.pairedWith() != null)
                .forEach(e -> ensure(e.name()));
    }

    static TriggerKey key(String database) {
        return TriggerKey.triggerKey(database, GROUP);
    }

    /** Creates the pair's trigger, or replaces it when the interval changed; a stopped pair stays paused. */
    void ensure(String database) {
        if (!settings.schedule()) {
            return;
        }
        try {
            Trigger existing = scheduler.getTrigger(key(database));
            PairWindow pairWindow = windows.of(database);
            boolean calendar = usesCalendar(pairWindow);
            if (existing instanceof SimpleTrigger simple && simple.getRepeatInterval() == settings.interval().toMillis()
                    && (calendar == CALENDAR.equals(simple.getCalendarName()))) {
                return;
            }
            if (calendar && scheduler.getCalendar(CALENDAR) == null) {
                // Stored at start-up; a pair scheduled later must not depend on that having happened
                // (in this scheduler's store, with this window): the trigger refers to it by name.
                scheduler.addCalendar(CALENDAR, window.quartzCalendar(), true, true);
            }
            Trigger trigger = trigger(database, settings, pairWindow, clock.instant());
            if (existing == null) {
                if (scheduler.getJobDetail(JOB) == null) {
                    scheduler.addJob(jobDetail(), true);
                }
                scheduler.scheduleJob(trigger);
            } else {
                scheduler.rescheduleJob(key(database), trigger);
            }
            if (repository.state(database).map(s -> s.stoppedAt() != null).orElse(false)) {
                scheduler.pauseTrigger(key(database));
            }
            log.info("Sync of {} scheduled every {}, outside the maintenance window {}", database,
                    settings.interval(), pairWindow.enabled() ? pairWindow : "(none)");
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot schedule the sync of " + database, e);
        }
    }

    /**
     * The fixed daily slot is a Quartz calendar the trigger skips. A grooming window is not: its
     * ticks fire and are skipped by the run itself (recorded as a decision), since the window can
     * change through the API at any time.
     */
    static boolean usesCalendar(PairWindow window) {
        return window instanceof MaintenanceWindow && window.enabled();
    }

    /**
     * A pair's grooming job was registered, changed or removed: its trigger follows (with or without
     * the fixed slot's calendar, aligned on the new window). Only pairs that are scheduled already.
     */
    @org.springframework.transaction.event.TransactionalEventListener(fallbackExecution = true)
    void groomingChanged(dev.sco.orchestrator.platform.continuity.GroomingSchedules.Changed changed) {
        String database = changed.database();
        boolean primary = targets.find(database).map(e -> "primary".equals(e.role()) && e.pairedWith() != null)
                .orElse(false);
        if (!settings.schedule() || !primary) {
            return;
        }
        try {
            Trigger existing = scheduler.getTrigger(key(database));
            if (existing == null) {
                return;
            }
            PairWindow pairWindow = windows.of(database);
            if (usesCalendar(pairWindow) && scheduler.getCalendar(CALENDAR) == null) {
                scheduler.addCalendar(CALENDAR, window.quartzCalendar(), true, true);
            }
            Trigger trigger = trigger(database, settings, pairWindow, clock.instant());
            boolean paused = scheduler.getTriggerState(key(database)) == Trigger.TriggerState.PAUSED;
            scheduler.rescheduleJob(key(database), trigger);
            if (paused) {
                scheduler.pauseTrigger(key(database));
            }
            log.info("Sync of {}: the maintenance window is now {}", database, pairWindow);
        } catch (SchedulerException | RuntimeException e) {
            log.warn("Sync trigger of {} not moved to its new maintenance window (runs inside it are still refused): {}",
                    database, e.getMessage());
        }
    }

    /** The pair's trigger: every interval from the first tick, skipping the window, no make-up of missed ticks. */
    static SimpleTrigger trigger(String database, SyncSettings settings, PairWindow window, Instant now) {
        TriggerBuilder<SimpleTrigger> builder = TriggerBuilder.newTrigger().withIdentity(key(database)).forJob(JOB)
                .usingJobData(DATABASE, database)
                .withDescription("sync of " + database + " every " + settings.interval())
                .startAt(Date.from(firstTick(settings, window, now)))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(settings.interval().toMillis()).repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount());
        if (usesCalendar(window)) {
            builder.modifiedByCalendar(CALENDAR);
        }
        return builder.build();
    }

    /** The first tick at or after {@code now} on the grid that passes through the window's end. */
    static Instant firstTick(SyncSettings settings, PairWindow window, Instant now) {
        if (!window.enabled()) {
            return now.plus(settings.interval());
        }
        Instant end = window.nextEnd(now);
        long steps = Duration.between(now, end).toMillis() / settings.interval().toMillis();
        return end.minus(settings.interval().multipliedBy(steps));
    }

    /**
     * Whether the pair has a trigger (running or paused for a failover): only then is there a
     * "next scheduled sync". A pair registered but never scheduled, or any pair while the schedule
     * is off, has none.
     */
    boolean scheduled(String database) {
        try {
            return scheduler.checkExists(key(database));
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot read the sync trigger of " + database, e);
        }
    }

    /** Best effort: the stop recorded in {@code sync_state} already makes scheduled ticks skip the pair. */
    void pause(String database) {
        if (!settings.schedule()) {
            return;
        }
        try {
            scheduler.pauseTrigger(key(database));
        } catch (SchedulerException e) {
            log.warn("Cannot pause the sync trigger of {} (its ticks skip the stopped pair anyway): {}", database,
                    e.getMessage());
        }
    }

    void resume(String database) {
        if (!settings.schedule()) {
            return;
        }
        try {
            ensure(database);
            scheduler.resumeTrigger(key(database));
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot resume the sync of " + database, e);
        }
    }

    /** For the status view; a scheduler that cannot answer shows as no schedule rather than failing the view. */
    Optional<Trigger.TriggerState> state(String database) {
        try {
            Trigger.TriggerState state = scheduler.getTriggerState(key(database));
            return state == Trigger.TriggerState.NONE ? Optional.empty() : Optional.of(state);
        } catch (SchedulerException e) {
            log.warn("Cannot read the sync trigger of {}: {}", database, e.getMessage());
            return Optional.empty();
        }
    }

    Optional<Trigger> trigger(String database) {
        try {
            return Optional.ofNullable(scheduler.getTrigger(key(database)));
        } catch (SchedulerException e) {
            log.warn("Cannot read the sync trigger of {}: {}", database, e.getMessage());
            return Optional.empty();
        }
    }
}
