package dev.sco.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * P6: an unplanned database failover of the demo pair of a fresh orchestrator, from the approval
 * to the end of the process (whose last steps verify that every consumer is connected to the new
 * primary only). The harness plays the three consumers ({@link BindingConsumers}: each holds a JDBC
 * connection named after it, polls its binding every 100 ms and reconnects when it names another
 * database).
 */
final class DatabaseFailoverTiming {

    static final String DATABASE = "demo-primary";
    static final List<String> CONSUMERS = List.of("ms-east-1", "ms-east-2", "ms-west-1");
    static final String APPROVE = "UserTask_ApproveFailover";
    static final String END_FAILED_OVER = "EndEvent_FailedOver";
    private static final Duration LIMIT = Duration.ofSeconds(120);

    /** One activity of the process after the approval: when it began after the previous one ended, and how long it took. */
    record Step(String activityId, String type, double waitMillis, double millis) {
    }

    /**
     * One failover. {@code approvedToEndMillis}: the approval task's end to the process end, from
     * the engine history; {@code wallMillis}: the submit request sent to the harness seeing the
     * process ended (polled every 50 ms); {@code consumersMovedMillis}: approval to the last
     * consumer reconnected on the new primary.
     */
    record Result(String processInstanceId, String endEvent, double approvedToEndMillis, double wallMillis,
                  double consumersMovedMillis, List<Step> steps, boolean deployedByHarness) {
    }

    static final String PROCESS_KEY = "databaseFailoverProcess";
    static final String MODEL = "processes/database-failover.bpmn";

    private final ApiClient api;
    private final EngineRestClient engine;
    private final String requester;
    private final String approver;
    private BindingConsumers consumers;

    DatabaseFailoverTiming(ApiClient api, EngineRestClient engine, String requester, String approver) {
        this.api = api;
        this.engine = engine;
        this.requester = requester;
        this.approver = approver;
    }

    Result measure() throws IOException, InterruptedException, SQLException {
        boolean deployedByHarness = deployIfMissing();
        consumers = BindingConsumers.start(api, requester, DATABASE, CONSUMERS, false, LIMIT, "bench-p6-");
        String body = "{\"database\":\"" + DATABASE + "\",\"mode\":\"unplanned\",\"reason\":\"benchmark P6\"}";
        String process = api.post("/api/failovers", requester, body).get("processInstanceId").asText();
        String task = awaitTask(process);
        long submitted = System.nanoTime();
        Instant submittedAt = Instant.now();
        api.post("/engine-rest/task/" + task + "/submit-form", approver,
                "{\"variables\":{\"approved\":{\"value\":true,\"type\":\"Boolean\"}}}");
        awaitEnd(process);
        double wall = (System.nanoTime() - submitted) / 1e6;
        consumers.awaitMoved(Duration.ofSeconds(5));
        List<JsonNode> activities = new ArrayList<>();
        api.get("/engine-rest/history/activity-instance?processInstanceId=" + process
                + "&sortBy=startTime&sortOrder=asc&maxResults=500", approver).forEach(activities::add);
        // Stable: activities that began in the same millisecond keep the engine's order.
        activities.sort(java.util.Comparator.comparing(a -> ApiClient.instant(a.get("startTime"))));
        Instant approvedAt = null;
        Instant previousEnd = null;
        String endEvent = null;
        List<Step> steps = new ArrayList<>();
        for (JsonNode activity : activities) {
            String id = activity.path("activityId").asText();
            Instant start = ApiClient.instant(activity.get("startTime"));
            Instant end = ApiClient.instant(activity.get("endTime"));
            if (APPROVE.equals(id)) {
                approvedAt = end;
                previousEnd = end;
                continue;
            }
            if (approvedAt == null || end == null) {
                continue;
            }
            steps.add(new Step(id, activity.path("activityType").asText(),
                    Duration.between(previousEnd, start).toNanos() / 1e6, Duration.between(start, end).toNanos() / 1e6));
            previousEnd = previousEnd.isAfter(end) ? previousEnd : end;
            if ("noneEndEvent".equals(activity.path("activityType").asText())) {
                endEvent = id;
            }
        }
        JsonNode history = api.get("/engine-rest/history/process-instance/" + process, approver);
        Instant ended = ApiClient.instant(history.get("endTime"));
        if (approvedAt == null || ended == null) {
            throw new IllegalStateException("process " + process + " has no approval or no end in the history");
        }
        double consumersMoved = consumers.lastMovedAt()
                .map(last -> Duration.between(submittedAt, last).toNanos() / 1e6).orElse(-1.0);
        return new Result(process, endEvent, Duration.between(approvedAt, ended).toNanos() / 1e6, wall,
                consumersMoved, steps, deployedByHarness);
    }

    /**
     * The packaged jar may start without the process deployed (see the report); then the model the
     * jar carries is deployed here over the engine REST API, as an operator could, so the failover
     * can be timed at all. Answers whether it had to.
     */
    private boolean deployIfMissing() throws IOException, InterruptedException {
        if (api.get("/engine-rest/process-definition/count?key=" + PROCESS_KEY, requester).get("count").asLong() > 0) {
            return false;
        }
        try (var model = DatabaseFailoverTiming.class.getClassLoader().getResourceAsStream(MODEL)) {
            if (model == null) {
                throw new IllegalStateException(MODEL + " is not on the harness's classpath");
            }
            engine.deployModel("database-failover.bpmn", new String(model.readAllBytes(), StandardCharsets.UTF_8));
        }
        return true;
    }

    /** Closes the consumers' connections; the next run starts with none. */
    void closeConsumers() {
        if (consumers != null) {
            consumers.close();
            consumers = null;
        }
    }

    private String awaitTask(String process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode tasks = api.get("/engine-rest/task?processInstanceId=" + process + "&taskDefinitionKey=" + APPROVE
                    + "&maxResults=10", approver);
            if (tasks.size() > 0) {
                return tasks.get(0).get("id").asText();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no " + APPROVE + " task for process " + process + " within " + LIMIT);
    }

    private void awaitEnd(String process) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode history = api.get("/engine-rest/history/process-instance/" + process, approver);
            if (!history.path("endTime").isNull() && !history.path("endTime").isMissingNode()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("process " + process + " did not end within " + LIMIT);
    }
}
