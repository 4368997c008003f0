package dev.sco.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * P6: an unplanned database failover of the demo pair of a fresh orchestrator, from the approval
 * to the end of the process (whose last steps verify that every consumer is connected to the new
 * primary only). The harness plays the three consumers: each holds a JDBC connection named after
 * it, polls its binding every 100 ms and reconnects when the binding names another database.
 */
final class DatabaseFailoverTiming {

    static final String DATABASE = "demo-primary";
    static final List<String> CONSUMERS = List.of("ms-east-1", "ms-east-2", "ms-west-1");
    static final String APPROVE = "UserTask_ApproveFailover";
    static final String END_FAILED_OVER = "EndEvent_FailedOver";
    static final Duration POLL = Duration.ofMillis(100);
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

    DatabaseFailoverTiming(ApiClient api, EngineRestClient engine, String requester, String approver) {
        this.api = api;
        this.engine = engine;
        this.requester = requester;
        this.approver = approver;
    }

    Result measure() throws IOException, InterruptedException, SQLException {
        boolean deployedByHarness = deployIfMissing();
        Map<String, Instant> movedAt = new ConcurrentHashMap<>();
        AtomicReference<String> consumerError = new AtomicReference<>();
        List<Thread> consumers = new ArrayList<>();
        Map<String, String> urls = new ConcurrentHashMap<>();
        long giveUp = System.nanoTime() + LIMIT.toNanos();
        for (String consumer : CONSUMERS) {
            String database = binding(consumer);
            if (!DATABASE.equals(database)) {
                throw new IllegalStateException(consumer + " is bound to " + database + ", not " + DATABASE);
            }
            Connection first = connect(url(database, urls), consumer);
            Thread thread = new Thread(() -> follow(consumer, database, first, urls, movedAt, consumerError, giveUp),
                    "bench-p6-" + consumer);
            thread.setDaemon(true);
            consumers.add(thread);
        }
        consumers.forEach(Thread::start);
        try {
            String body = "{\"database\":\"" + DATABASE + "\",\"mode\":\"unplanned\",\"reason\":\"benchmark P6\"}";
            String process = api.post("/api/failovers", requester, body).get("processInstanceId").asText();
            String task = awaitTask(process);
            long submitted = System.nanoTime();
            Instant submittedAt = Instant.now();
            api.post("/engine-rest/task/" + task + "/submit-form", approver,
                    "{\"variables\":{\"approved\":{\"value\":true,\"type\":\"Boolean\"}}}");
            awaitEnd(process);
            double wall = (System.nanoTime() - submitted) / 1e6;
            for (Thread thread : consumers) {
                thread.join(Duration.ofSeconds(5).toMillis());
            }
            if (consumerError.get() != null) {
                throw new IllegalStateException("a consumer failed: " + consumerError.get());
            }

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
            Instant lastMoved = movedAt.values().stream().max(Instant::compareTo).orElse(null);
            double consumersMoved = movedAt.size() == CONSUMERS.size() && lastMoved != null
                    ? Duration.between(submittedAt, lastMoved).toNanos() / 1e6 : -1;
            return new Result(process, endEvent, Duration.between(approvedAt, ended).toNanos() / 1e6, wall,
                    consumersMoved, steps, deployedByHarness);
        } finally {
            consumers.forEach(Thread::interrupt);
        }
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

    /**
     * A consumer: on its binding's database until the binding changes, then on the new one, where
     * its session stays open until {@link #closeConsumers()} (verification looks for it). Bounded in time.
     */
    private void follow(String consumer, String database, Connection first, Map<String, String> urls,
                        Map<String, Instant> movedAt, AtomicReference<String> error, long giveUp) {
        Connection connection = first;
        try {
            while (System.nanoTime() < giveUp && !Thread.currentThread().isInterrupted()) {
                String bound = binding(consumer);
                if (!bound.equals(database)) {
                    Connection next = connect(url(bound, urls), consumer);
                    closeQuietly(connection);
                    connection = next;
                    movedAt.put(consumer, Instant.now());
                    return;
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | SQLException | RuntimeException e) {
            error.compareAndSet(null, consumer + ": " + e);
        } finally {
            open.add(connection);
        }
    }

    private final List<Connection> open = java.util.Collections.synchronizedList(new ArrayList<>());

    /** Closes the consumers' connections; the next run starts with none. */
    void closeConsumers() {
        synchronized (open) {
            open.forEach(DatabaseFailoverTiming::closeQuietly);
            open.clear();
        }
    }

    private String binding(String consumer) throws IOException, InterruptedException {
        return api.get("/api/bindings/" + URLEncoder.encode(consumer, StandardCharsets.UTF_8), requester)
                .get("database").asText();
    }

    private String url(String database, Map<String, String> urls) throws IOException, InterruptedException {
        String known = urls.get(database);
        if (known == null) {
            known = api.get("/api/databases/" + database, requester).get("jdbcUrl").asText();
            urls.put(database, known);
        }
        return known;
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

    private static Connection connect(String url, String consumer) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("ApplicationName", consumer);
        return DriverManager.getConnection(url, properties);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // The server may have ended the session already (fencing); nothing left to close.
        }
    }
}
