package dev.sco.orchestrator.dbfailover;

import java.text.ParseException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;

import dev.sco.orchestrator.platform.web.BadRequest;
import dev.sco.orchestrator.platform.web.Inputs;
import dev.sco.orchestrator.platform.web.NotFound;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Drills on a schedule: per primary database an optional Quartz cron expression, kept in
 * {@code drill_schedule} and as one cron trigger per database ({@code drill/<database>}) in the
 * clustered Quartz store, so one node starts each drill. A fire that was missed while no node was
 * up is not made up. A fire starts the failover process in drill mode, requested by
 * {@value #REQUESTER}, and records in the same transaction that its schedule asked for it: the
 * approval policy approves such a drill (it changes nothing) on that record only.
 */
@Component
public class DrillSchedule {

    static final String GROUP = "drill";
    static final JobKey JOB = JobKey.jobKey("scheduled-drill", GROUP);
    static final String DATABASE = "database";
    /** Who requests a scheduled drill; never a user's name (users cannot start a drill on its behalf). */
    public static final String REQUESTER = "drill-schedule";
    /** Drills may not run more often than this (a drill probes both databases and dry-runs the scripts). */
    static final Duration MIN_INTERVAL = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(DrillSchedule.class);

    private final Scheduler scheduler;
    private final DrillRunRepository repository;
    private final FailoverRequests requests;
    private final Clock clock;

    DrillSchedule(Scheduler scheduler, DrillRunRepository repository, FailoverRequests requests, Clock clock) {
        this.scheduler = scheduler;
        this.repository = repository;
        this.requests = requests;
        this.clock = clock;
    }

    /** {@code PUT /api/drills/schedules/{database}}: body of a schedule. */
    public record Request(String cron, String timeZone) {
    }

    /** A schedule as the API answers it, with the next time it fires. */
    public record View(String database, String cron, String timeZone, String updatedBy, java.time.Instant updatedAt,
                       java.time.Instant nextDrillAt) {
    }

    static JobDetail jobDetail() {
        return JobBuilder.newJob(DrillScheduleJob.class).withIdentity(JOB)
                .withDescription("Starts a scheduled drill of a database pair").storeDurably().build();
    }

    static TriggerKey key(String database) {
        return TriggerKey.triggerKey(database, GROUP);
    }

    /** Validates and stores the schedule, and (re)schedules its trigger; true when it is new. */
    @Transactional
    public boolean put(String database, Request body, String user) {
        Inputs.name("database", database);
        if (body == null) {
            throw new BadRequest("body", "A schedule needs a body {\"cron\", \"timeZone\"}");
        }
        String cron = Inputs.text("cron", Inputs.required("cron", body.cron()), 120).trim();
        String zone = body.timeZone() == null ? "UTC" : Inputs.text("timeZone", body.timeZone(), 64).trim();
        TimeZone timeZone = timeZone(zone);
        CronExpression expression = expression(cron, timeZone);
        requests.check(database).ifPresent(refusal -> {
            if (refusal instanceof FailoverRequests.UnknownDatabase) {
                throw new NotFound("database", "No database named '" + database + "'");
            }
            if (refusal instanceof FailoverRequests.NotAPrimary p) {
                throw new BadRequest("database", "'" + database + "' is a " + p.role()
                        + " database; schedule the drills of its primary");
            }
            if (refusal instanceof FailoverRequests.NoPartner) {
                throw new BadRequest("database", "'" + database + "' has no failover partner (pairedWith)");
            }
            // A primary that does not act as primary now may still be drilled once restored: kept.
        });
        boolean created = repository.putSchedule(database, cron, zone, user, clock.instant());
        schedule(database, expression);
        log.info("Drills of {} scheduled '{}' ({}) by {}", database, cron, zone, user);
        return created;
    }

    @Transactional
    public void delete(String database) {
        if (!repository.deleteSchedule(database)) {
            throw new NotFound("database", "No drill schedule for '" + database + "'");
        }
        unschedule(database);
    }

    public List<View> list() {
        return repository.schedules().stream().map(this::view).toList();
    }

    public Optional<View> find(String database) {
        return repository.schedule(database).map(this::view);
    }

    private View view(DrillRunRepository.Schedule s) {
        Date next = null;
        try {
            Trigger trigger = scheduler.getTrigger(key(s.database()));
            next = trigger == null ? null : trigger.getNextFireTime();
        } catch (SchedulerException e) {
            log.debug("Drill trigger of {} not readable: {}", s.database(), e.getMessage());
        }
        return new View(s.database(), s.cron(), s.timeZone(), s.updatedBy(), s.updatedAt(),
                next == null ? null : next.toInstant());
    }

    /** Every stored schedule has its trigger; a trigger without a stored schedule is removed. */
    @EventListener(ApplicationReadyEvent.class)
    void scheduleAll() {
        try {
            Set<TriggerKey> keys = scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(GROUP));
            List<DrillRunRepository.Schedule> schedules = repository.schedules();
            for (TriggerKey key : keys) {
                if (schedules.stream().noneMatch(s -> s.database().equals(key.getName()))) {
                    scheduler.unscheduleJob(key);
                }
            }
            for (DrillRunRepository.Schedule s : schedules) {
                try {
                    schedule(s.database(), expression(s.cron(), timeZone(s.timeZone())));
                } catch (RuntimeException e) {
                    log.error("Drill schedule of {} ('{}') not scheduled: {}", s.database(), s.cron(), e.getMessage());
                }
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot read the drill triggers", e);
        }
    }

    /**
     * A fire of the schedule: starts a drill of the database unless its schedule is gone (then the
     * trigger is removed) or a drill cannot be requested now (logged; the next fire tries again).
     * Returns the drill's operation, if one started.
     */
    @Transactional
    public Optional<ContinuityOperation> fire(String database) {
        Optional<DrillRunRepository.Schedule> schedule = repository.schedule(database);
        if (schedule.isEmpty()) {
            log.warn("Drill trigger of {} fired without a schedule: removed", database);
            unschedule(database);
            return Optional.empty();
        }
        FailoverRequests.Outcome outcome = requests.request(database, DatabaseFailoverProcess.MODE_DRILL,
                "scheduled drill (" + schedule.get().cron() + ", " + schedule.get().timeZone() + ")", null, REQUESTER);
        if (outcome.refusal() != null) {
            log.warn("Scheduled drill of {} not started: {}", database, outcome.refusal());
            return Optional.empty();
        }
        ContinuityOperation op = outcome.operation();
        repository.recordScheduled(op.id(), op.database(), op.failoverDatabase(), op.requestedAt());
        log.info("Scheduled drill {} of {} started: process {}", op.id(), database, op.processInstanceId());
        return Optional.of(op);
    }

    /** Whether the drill was asked for by its schedule (the orchestrator's own record). */
    boolean scheduledDrill(long operationId) {
        return repository.scheduled(operationId);
    }

    private void schedule(String database, CronExpression expression) {
        try {
            CronTrigger trigger = TriggerBuilder.newTrigger().withIdentity(key(database)).forJob(JOB)
                    .usingJobData(DATABASE, database).withDescription("drill of " + database)
                    .withSchedule(CronScheduleBuilder.cronSchedule(expression.getCronExpression())
                            .inTimeZone(expression.getTimeZone()).withMisfireHandlingInstructionDoNothing())
                    .build();
            if (scheduler.getJobDetail(JOB) == null) {
                scheduler.addJob(jobDetail(), true);
            }
            if (scheduler.checkExists(key(database))) {
                scheduler.rescheduleJob(key(database), trigger);
            } else {
                scheduler.scheduleJob(trigger);
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot schedule the drills of " + database, e);
        }
    }

    private void unschedule(String database) {
        try {
            scheduler.unscheduleJob(key(database));
        } catch (SchedulerException e) {
            throw new IllegalStateException("Cannot remove the drill trigger of " + database, e);
        }
    }

    private static TimeZone timeZone(String zone) {
        try {
            return TimeZone.getTimeZone(ZoneId.of(zone));
        } catch (DateTimeException e) {
            throw new BadRequest("timeZone", "'" + zone + "' is not a time zone (e.g. UTC, Europe/Zurich)");
        }
    }

    /** A Quartz cron expression that fires, and not more often than {@link #MIN_INTERVAL}. */
    private CronExpression expression(String cron, TimeZone zone) {
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (ParseException e) {
            throw new BadRequest("cron", "'" + cron + "' is not a Quartz cron expression (seconds minutes hours "
                    + "day-of-month month day-of-week [year], e.g. '0 0 3 ? * MON'): " + e.getMessage());
        }
        expression.setTimeZone(zone);
        Date previous = expression.getNextValidTimeAfter(Date.from(clock.instant()));
        if (previous == null) {
            throw new BadRequest("cron", "'" + cron + "' never fires after now");
        }
        for (int i = 0; i < 100; i++) {
            Date next = expression.getNextValidTimeAfter(previous);
            if (next == null) {
                break;
            }
            if (next.getTime() - previous.getTime() < MIN_INTERVAL.toMillis()) {
                throw new BadRequest("cron", "'" + cron + "' fires more often than once every "
                        + MIN_INTERVAL.toHours() + " h (at " + previous.toInstant() + " and " + next.toInstant() + ")");
            }
            previous = next;
        }
        return expression;
    }
}
