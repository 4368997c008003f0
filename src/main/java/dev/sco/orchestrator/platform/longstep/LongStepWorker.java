package dev.sco.orchestrator.platform.longstep;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.sco.orchestrator.platform.InvalidSettingException;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.externaltask.ExternalTaskQueryBuilder;
import org.camunda.bpm.engine.externaltask.LockedExternalTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Works the long steps of every process on this node: fetches and locks their external tasks,
 * runs each on a thread of its own while a timer extends its lock every third of the lock time,
 * then completes it (the step's record written in the same transaction) or reports the failure
 * (tried again after a while, an incident once the step's tries are spent).
 * <p>
 * No engine job outlives its lock this way: the engine's job lock (minutes) never covers a copy
 * of hours, and a node that dies stops extending, so another node takes the step over once the
 * lock has run out, never while the first still works.
 */
@Component
public class LongStepWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LongStepWorker.class);

    private final Map<String, LongStep> steps;
    private final ExternalTaskService externalTasks;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;
    private final LongStepSettings settings;
    private final LongStepSignal signal;
    private final String workerId;
    private final Set<String> working = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timers;
    private ExecutorService workers;
    private LongStepSignal.Subscription signalled;
    private volatile boolean running;

    LongStepWorker(List<LongStep> steps, ExternalTaskService externalTasks, RuntimeService runtime,
                   TransactionTemplate transactions, LongStepSettings settings, LongStepSignal signal) {
        if (settings.lock().toSeconds() < 2) {
            throw new InvalidSettingException("ORCHESTRATOR_LONG_STEP_LOCK", "must be at least 2s");
        }
        if (settings.poll().isNegative() || settings.concurrency() < 1 || settings.concurrency() > 16) {
            throw new InvalidSettingException("ORCHESTRATOR_LONG_STEP_POLL",
                    "poll must be zero or positive, and ORCHESTRATOR_LONG_STEP_CONCURRENCY between 1 and 16");
        }
        this.steps = steps.stream().collect(Collectors.toMap(LongStep::topic, Function.identity()));
        this.externalTasks = externalTasks;
        this.runtime = runtime;
        this.transactions = transactions;
        this.settings = settings;
        this.signal = signal;
        this.workerId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String workerId() {
        return workerId;
    }

    @Override
    public void start() {
        timers = Executors.newScheduledThreadPool(2, daemon("long-step-timer"));
        workers = Executors.newFixedThreadPool(settings.concurrency(), daemon("long-step"));
        running = true;
        if (!settings.poll().isZero()) {
            timers.scheduleWithFixedDelay(this::pollQuietly, settings.poll().toMillis(), settings.poll().toMillis(),
                    TimeUnit.MILLISECONDS);
            // A long step created on this node is fetched at once (a poll of zero: nothing runs by itself).
            signalled = signal.onSignal(definition -> wake());
        }
    }

    private void wake() {
        ScheduledExecutorService pollers = timers;
        if (running && pollers != null) {
            try {
                pollers.execute(this::pollQuietly);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // The node is stopping: the step is not fetched here, another node's poll takes it.
            }
        }
    }

    /**
     * Stops taking new steps and abandons the running ones without completing them: their locks
     * run out and another node (or this one, restarted) takes them over.
     */
    @Override
    public void stop() {
        running = false;
        if (signalled != null) {
            signalled.close();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** One poll at a time (the timer's and a wake-up's), each counting the steps handed to a worker as taken. */
    private synchronized void pollQuietly() {
        try {
            int free = settings.concurrency() - working.size();
            if (free > 0) {
                fetch(free).forEach(task -> {
                    working.add(task.getId());
                    workers.submit(() -> work(task));
                });
            }
        } catch (RuntimeException e) {
            log.warn("Looking for long steps failed: {}", e.getMessage());
        }
    }

    /** Fetches, locks and works the due long steps in the calling thread; answers how many ran. For tests. */
    public int runDue() {
        List<LockedExternalTask> due = fetch(settings.concurrency());
        due.forEach(this::work);
        return due.size();
    }

    private List<LockedExternalTask> fetch(int max) {
        if (steps.isEmpty() || !running) {
            return List.of();
        }
        ExternalTaskQueryBuilder query = externalTasks.fetchAndLock(max, workerId);
        for (String topic : steps.keySet()) {
            query = query.topic(topic, settings.lock().toMillis());
        }
        return query.execute();
    }

    private void work(LockedExternalTask locked) {
        working.add(locked.getId());
        LongStep step = steps.get(locked.getTopicName());
        LongStepTask task = new LongStepTask(locked.getId(), locked.getProcessInstanceId(), locked.getActivityId(),
                locked.getVariables(), (name, value) -> progress(locked, name, value));
        long every = Math.max(500, settings.lock().toMillis() / 3);
        ScheduledFuture<?> extender = timers.scheduleAtFixedRate(() -> extend(locked), every, every,
                TimeUnit.MILLISECONDS);
        try {
            step.check(task);
            Map<String, Object> result = step.run(task);
            extender.cancel(false);
            transactions.executeWithoutResult(status -> {
                step.completed(task);
                externalTasks.complete(locked.getId(), workerId, result);
            });
            log.info("Long step {} of process {} completed on {}", locked.getActivityId(),
                    locked.getProcessInstanceId(), workerId);
        } catch (LongStepDeferred e) {
            extender.cancel(false);
            defer(locked, step, e);
        } catch (RuntimeException e) {
            extender.cancel(false);
            fail(locked, step, e);
        } finally {
            working.remove(locked.getId());
        }
    }

    private void extend(LockedExternalTask locked) {
        try {
            externalTasks.extendLock(locked.getId(), workerId, settings.lock().toMillis());
        } catch (RuntimeException e) {
            log.warn("Lock of long step {} of process {} not extended: {}", locked.getActivityId(),
                    locked.getProcessInstanceId(), e.getMessage());
        }
    }

    private void fail(LockedExternalTask locked, LongStep step, RuntimeException error) {
        int retries = (locked.getRetries() == null ? step.tries() : locked.getRetries()) - 1;
        long retryAfter = (step.retryAfter() == null ? settings.retryAfter() : step.retryAfter()).toMillis();
        log.warn("Long step {} of process {} failed ({} tries left): {}", locked.getActivityId(),
                locked.getProcessInstanceId(), Math.max(retries, 0), error.getMessage());
        try {
            externalTasks.handleFailure(locked.getId(), workerId, truncate(String.valueOf(error.getMessage())),
                    stackTrace(error), Math.max(retries, 0), retryAfter);
        } catch (RuntimeException e) {
            log.warn("Failure of long step {} not recorded (its lock will run out): {}", locked.getActivityId(),
                    e.getMessage());
        }
    }

    /** Not yet: the task is fetched again once the wait is over, with its tries untouched. */
    private void defer(LockedExternalTask locked, LongStep step, LongStepDeferred deferred) {
        int retries = locked.getRetries() == null ? step.tries() : locked.getRetries();
        log.info("Long step {} of process {} waits {}: {}", locked.getActivityId(), locked.getProcessInstanceId(),
                deferred.retryAfter(), deferred.getMessage());
        try {
            externalTasks.handleFailure(locked.getId(), workerId, truncate(String.valueOf(deferred.getMessage())), null,
                    Math.max(retries, 1), deferred.retryAfter().toMillis());
        } catch (RuntimeException e) {
            log.warn("Wait of long step {} not recorded (its lock will run out): {}", locked.getActivityId(),
                    e.getMessage());
        }
    }

    private void progress(LockedExternalTask locked, String name, Object value) {
        try {
            runtime.setVariable(locked.getProcessInstanceId(), name, value);
        } catch (RuntimeException e) {
            log.warn("Progress of long step {} not recorded: {}", locked.getActivityId(), e.getMessage());
        }
    }

    private static String truncate(String message) {
        return message.length() > 600 ? message.substring(0, 600) : message;
    }

    private static String stackTrace(Throwable error) {
        java.io.StringWriter text = new java.io.StringWriter();
        error.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
