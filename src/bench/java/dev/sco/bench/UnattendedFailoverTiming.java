package dev.sco.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * P6b: the unattended failover. A fresh orchestrator with the auto-approval bound set and a 1 s
 * health probe; the demo pair synced once; three consumers that follow their bindings (each
 * queries its database every 100 ms on a connection named after it, reads its binding and moves
 * when the binding names another database); then the demo primary's postmaster is killed with
 * SIGKILL. Measured from the kill: the failover process started by the probe (detection), its steps
 * from the engine history, each consumer reconnected to the new primary, and the process's end
 * after its verification saw every consumer there. No person takes part: a user task is a failure.
 */
final class UnattendedFailoverTiming {

    static final String DATABASE = DatabaseFailoverTiming.DATABASE;
    static final List<String> CONSUMERS = DatabaseFailoverTiming.CONSUMERS;
    static final String END_FAILED_OVER = DatabaseFailoverTiming.END_FAILED_OVER;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    /** The orchestrator settings of this benchmark: the probe the docs call safe for production, auto-approval on. */
    static final Map<String, String> SETTINGS = Map.of(
            "ORCHESTRATOR_FAILOVER_PROBE_INTERVAL", "1s",
            "ORCHESTRATOR_FAILOVER_PROBE_FAILURES", "3",
            "ORCHESTRATOR_FAILOVER_PROBE_TIMEOUT", "1s",
            "ORCHESTRATOR_FAILOVER_AUTO_APPROVE_MAX_DATA_LOSS", "1h",
            "ORCHESTRATOR_FAILOVER_VERIFY_POLL", "1s");

    /** Steps of the report, each the activities of the model it spans (in the order they run). */
    static final Map<String, List<String>> STEPS = stepGroups();

    private static Map<String, List<String>> stepGroups() {
        Map<String, List<String>> steps = new LinkedHashMap<>();
        steps.put("pre-flight", List.of("ServiceTask_PreFlight"));
        steps.put("fence attempt", List.of("ServiceTask_FenceOldPrimary"));
        steps.put("scripts", List.of("ServiceTask_StopSync", "ServiceTask_RemoveOrphans",
                "ServiceTask_RestoreUniqueIndexes", "ServiceTask_EnableConstraints", "ServiceTask_AdvanceSequences",
                "ServiceTask_SwitchDatabaseJobs"));
        steps.put("repoint", List.of("ServiceTask_RepointConsumers", "ServiceTask_ReconnectConsumers"));
        steps.put("verify", List.of("Timer_ConsumersPoll", "ServiceTask_VerifyConsumers", "ServiceTask_RecordRepaired"));
        return steps;
    }

    /**
     * One unattended failover, all in milliseconds from the kill. {@code detectedMillis}: the process
     * started; {@code stepMillis}: per step of {@link #STEPS}, its duration (first start to last end);
     * {@code consumersMillis}: each consumer's reconnect to the new primary; {@code verifiedMillis}:
     * the process ended at {@link #END_FAILED_OVER}, after its verification saw every consumer.
     */
    record Result(String processInstanceId, String endEvent, double detectedMillis, Map<String, Double> stepMillis,
                  Map<String, Double> consumersMillis, double lastConsumerMillis, double verifiedMillis,
                  int userTasks, String approvedBy) {
    }

    private final ApiClient api;
    private final String user;
    private final Path dataDir;
    private BindingConsumers consumers;

    UnattendedFailoverTiming(ApiClient api, String user, Path dataDir) {
        this.api = api;
        this.user = user;
        this.dataDir = dataDir;
    }

    Result measure() throws IOException, InterruptedException, SQLException {
        syncOnce();
        consumers = BindingConsumers.start(api, user, DATABASE, CONSUMERS, true, LIMIT, "bench-p6b-");
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve(DATABASE).resolve("postmaster.pid"))
                .get(0).trim());
        ProcessHandle primary = ProcessHandle.of(postmaster)
                .orElseThrow(() -> new IllegalStateException("no postmaster " + postmaster + " for " + DATABASE));
        Instant killedAt = Instant.now();
        primary.destroyForcibly();
        System.out.printf("P6b: killed the postmaster of %s (pid %d) with SIGKILL%n", DATABASE, postmaster);

        JsonNode process = awaitEndedFailover(killedAt);
        String id = process.get("id").asText();
        consumers.awaitMoved(Duration.ofSeconds(5));
        List<JsonNode> activities = new ArrayList<>();
        api.get("/engine-rest/history/activity-instance?processInstanceId=" + id
                + "&sortBy=startTime&sortOrder=asc&maxResults=500", user).forEach(activities::add);
        String endEvent = null;
        int userTasks = 0;
        Map<String, Instant[]> spans = new LinkedHashMap<>();
        for (JsonNode activity : activities) {
            String activityId = activity.path("activityId").asText();
            String type = activity.path("activityType").asText();
            if ("userTask".equals(type)) {
                userTasks++;
            }
            if ("noneEndEvent".equals(type)) {
                endEvent = activityId;
            }
            Instant start = ApiClient.instant(activity.get("startTime"));
            Instant end = ApiClient.instant(activity.get("endTime"));
            STEPS.forEach((step, ids) -> {
                if (ids.contains(activityId) && start != null && end != null) {
                    spans.merge(step, new Instant[] {start, end}, (a, b) -> new Instant[] {
                            a[0].isBefore(b[0]) ? a[0] : b[0], a[1].isAfter(b[1]) ? a[1] : b[1]});
                }
            });
        }
        Map<String, Double> stepMillis = new LinkedHashMap<>();
        STEPS.keySet().forEach(step -> {
            Instant[] span = spans.get(step);
            stepMillis.put(step, span == null ? -1 : millis(span[0], span[1]));
        });
        Map<String, Double> consumersMillis = new LinkedHashMap<>();
        CONSUMERS.forEach(c -> consumersMillis.put(c, consumers.movedAt(c).map(at -> millis(killedAt, at)).orElse(-1.0)));
        double lastConsumer = consumers.lastMovedAt().map(at -> millis(killedAt, at)).orElse(-1.0);
        JsonNode operation = operationOf(process);
        return new Result(id, endEvent, millis(killedAt, ApiClient.instant(process.get("startTime"))), stepMillis,
                consumersMillis, lastConsumer, millis(killedAt, ApiClient.instant(process.get("endTime"))), userTasks,
                operation == null ? "unknown" : operation.path("approvedBy").asText("unknown"));
    }

    /** A successful sync of the pair, so the data-loss window is known and within the auto-approval bound. */
    private void syncOnce() throws IOException, InterruptedException {
        long runId = api.post("/api/sync/" + DATABASE + "/runs", user, "").get("runId").asLong();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode run : api.get("/api/sync/" + DATABASE + "/runs?limit=5", user).path("runs")) {
                if (run.path("id").asLong() == runId && !run.path("endedAt").isNull()
                        && !run.path("endedAt").isMissingNode()) {
                    if (!"succeeded".equals(run.path("result").asText())) {
                        throw new IllegalStateException("sync run " + runId + " ended " + run.path("result").asText());
                    }
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("sync run " + runId + " did not end within " + LIMIT);
    }

    private JsonNode awaitEndedFailover(Instant killedAt) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode process : api.get("/engine-rest/history/process-instance?processDefinitionKey="
                    + DatabaseFailoverTiming.PROCESS_KEY + "&sortBy=startTime&sortOrder=desc&maxResults=5", user)) {
                Instant started = ApiClient.instant(process.get("startTime"));
                if (started != null && started.isAfter(killedAt.minusSeconds(1))) {
                    if (!process.path("endTime").isNull() && !process.path("endTime").isMissingNode()) {
                        return process;
                    }
                    JsonNode tasks = api.get("/engine-rest/task?processInstanceId=" + process.get("id").asText()
                            + "&maxResults=10", user);
                    if (tasks.size() > 0) {
                        throw new IllegalStateException("the failover waits for a person: task '"
                                + tasks.get(0).path("name").asText() + "'");
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no failover of " + DATABASE + " ended within " + LIMIT + " of the kill");
    }

    /** The orchestrator's record of the operation the process runs (its business key is {@code failover-<id>}). */
    private JsonNode operationOf(JsonNode process) {
        String key = process.path("businessKey").asText("");
        if (!key.startsWith(OPERATION_KEY_PREFIX)) {
            return null;
        }
        try {
            return api.get("/api/failovers/" + Long.parseLong(key.substring(OPERATION_KEY_PREFIX.length())), user);
        } catch (IOException | InterruptedException | RuntimeException notFound) {
            // The approver is a detail of the report; the timing stands without it.
            return null;
        }
    }

    private static final String OPERATION_KEY_PREFIX = "failover-";

    /** Closes the consumers' connections; the next run starts with none. */
    void closeConsumers() {
        if (consumers != null) {
            consumers.close();
            consumers = null;
        }
    }

    private static double millis(Instant from, Instant to) {
        return from == null || to == null ? -1 : Duration.between(from, to).toNanos() / 1e6;
    }
}
