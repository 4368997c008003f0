package dev.sco.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P4: instances wait on a timer with a date of their own; the engine's job executor fires them.
 * Lateness is the end of the timer's activity instance in the engine history minus its due date.
 */
final class TimerPunctuality {

    static final String PROCESS_KEY = "benchTimerProcess";
    static final String TIMER_ID = "Timer_Due";

    /** Start → timer at {@code ${dueAt}} → user task; no scripts, history kept one day. */
    static final String MODEL = """
            <?xml version="1.0" encoding="UTF-8"?>
            <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                              xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
                              xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                              id="benchTimerDefinitions" targetNamespace="http://sco.dev/bench">
              <bpmn:process id="benchTimerProcess" name="Benchmark: timer then user task"
                            isExecutable="true" camunda:historyTimeToLive="P1D">
                <bpmn:startEvent id="StartEvent_Started" name="Started">
                  <bpmn:outgoing>Flow_ToTimer</bpmn:outgoing>
                </bpmn:startEvent>
                <bpmn:sequenceFlow id="Flow_ToTimer" sourceRef="StartEvent_Started" targetRef="Timer_Due"/>
                <bpmn:intermediateCatchEvent id="Timer_Due" name="Due">
                  <bpmn:incoming>Flow_ToTimer</bpmn:incoming>
                  <bpmn:outgoing>Flow_ToTask</bpmn:outgoing>
                  <bpmn:timerEventDefinition>
                    <bpmn:timeDate xsi:type="bpmn:tFormalExpression">${dueAt}</bpmn:timeDate>
                  </bpmn:timerEventDefinition>
                </bpmn:intermediateCatchEvent>
                <bpmn:sequenceFlow id="Flow_ToTask" sourceRef="Timer_Due" targetRef="UserTask_Look"/>
                <bpmn:userTask id="UserTask_Look" name="Look at it">
                  <bpmn:incoming>Flow_ToTask</bpmn:incoming>
                  <bpmn:outgoing>Flow_ToEnd</bpmn:outgoing>
                </bpmn:userTask>
                <bpmn:sequenceFlow id="Flow_ToEnd" sourceRef="UserTask_Look" targetRef="EndEvent_Done"/>
                <bpmn:endEvent id="EndEvent_Done" name="Done">
                  <bpmn:incoming>Flow_ToEnd</bpmn:incoming>
                </bpmn:endEvent>
              </bpmn:process>
            </bpmn:definitions>
            """;

    /** The engine REST API's default date format. */
    static final DateTimeFormatter ENGINE_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    /** No instance is started closer than this to its due date, so every timer is created before it is due. */
    private static final Duration MIN_LEAD = Duration.ofSeconds(5);
    private static final Duration START_LIMIT = Duration.ofMinutes(10);
    /** How long after the last due date the timers get to fire before the batch counts as failed. */
    private static final Duration FIRE_LIMIT = Duration.ofMinutes(2);
    private static final int PAGE = 500;
    private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*\\}");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PROCESS_INSTANCE = Pattern.compile("\"processInstanceId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern END_TIME = Pattern.compile("\"endTime\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern COUNT = Pattern.compile("\"count\"\\s*:\\s*(\\d+)");

    /** One batch: lateness of every timer that fired, in milliseconds, sorted. */
    record Result(int requested, int started, int startedAfterDue, int errors, String firstError,
                  double startSeconds, double dueWindowSeconds, long[] latenessMillis) {

        int fired() {
            return latenessMillis.length;
        }

        long percentile(double fraction) {
            if (latenessMillis.length == 0) {
                return 0;
            }
            int rank = (int) Math.ceil(fraction * latenessMillis.length);
            return latenessMillis[Math.max(0, rank - 1)];
        }

        long max() {
            return latenessMillis.length == 0 ? 0 : latenessMillis[latenessMillis.length - 1];
        }
    }

    private final HttpClient http;
    private final EngineRestClient client;
    private final int threads;
    private String definitionId;

    TimerPunctuality(HttpClient http, EngineRestClient client, int threads) {
        this.http = http;
        this.client = client;
        this.threads = threads;
    }

    void deploy() throws IOException, InterruptedException {
        client.deployModel("bench-timer.bpmn", MODEL);
        String body = get("/engine-rest/process-definition/key/" + PROCESS_KEY);
        Matcher id = ID.matcher(body);
        if (!id.find()) {
            throw new IllegalStateException("no process definition id in " + body);
        }
        definitionId = id.group(1);
    }

    /**
     * Starts {@code count} instances whose due dates spread evenly over {@code spread}, beginning
     * {@code lead} from now (never less than {@link #MIN_LEAD} after the start is sent), waits until
     * their timers fired (bounded) and reads the lateness from the history.
     */
    Result measure(int count, Duration lead, Duration spread) throws IOException, InterruptedException {
        Instant begin = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        Instant firstDue = Instant.now().plus(lead);
        Map<String, Instant> dueByInstance = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger afterDue = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicReference<Instant> lastDue = new AtomicReference<>(firstDue);
        CountDownLatch finished = new CountDownLatch(threads);
        long startBegin = System.nanoTime();
        long deadline = startBegin + START_LIMIT.toNanos();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    int i;
                    while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
                        Instant planned = firstDue.plusMillis(spread.toMillis() * i / count);
                        Instant earliest = Instant.now().plus(MIN_LEAD);
                        Instant due = (planned.isBefore(earliest) ? earliest : planned).truncatedTo(ChronoUnit.MILLIS);
                        String error = null;
                        try {
                            HttpResponse<String> response = http.send(start(due), HttpResponse.BodyHandlers.ofString());
                            Matcher id = ID.matcher(response.body());
                            if (response.statusCode() != 200 || !id.find()) {
                                error = "HTTP " + response.statusCode() + ": " + abbreviate(response.body());
                            } else {
                                dueByInstance.put(id.group(1), due);
                                lastDue.accumulateAndGet(due, (a, b) -> a.isAfter(b) ? a : b);
                                if (Instant.now().isAfter(due)) {
                                    afterDue.incrementAndGet();
                                }
                            }
                        } catch (IOException e) {
                            error = e.toString();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        if (error != null) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, error);
                        }
                    }
                } finally {
                    finished.countDown();
                }
            }, "bench-timer-client-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        finished.await();
        double startSeconds = (System.nanoTime() - startBegin) / 1e9;

        awaitFired(begin, dueByInstance.size(), lastDue.get().plus(FIRE_LIMIT));
        long[] lateness = lateness(begin, dueByInstance);
        Arrays.sort(lateness);
        double window = Duration.between(firstDue, lastDue.get()).toMillis() / 1e3;
        return new Result(count, dueByInstance.size(), afterDue.get(), errors.get(), firstError.get(), startSeconds,
                window, lateness);
    }

    private HttpRequest start(Instant due) {
        String body = "{\"variables\":{\"dueAt\":{\"value\":\"" + format(due) + "\",\"type\":\"Date\"}}}";
        return client.request("/engine-rest/process-definition/key/" + PROCESS_KEY + "/start")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Polls the history once a second until {@code expected} timers of this batch ended, or {@code giveUpAt}. */
    private void awaitFired(Instant begin, int expected, Instant giveUpAt) throws IOException, InterruptedException {
        while (Instant.now().isBefore(giveUpAt)) {
            Matcher count = COUNT.matcher(get("/engine-rest/history/activity-instance/count?" + batchQuery(begin)));
            if (count.find() && Integer.parseInt(count.group(1)) >= expected) {
                return;
            }
            Thread.sleep(1000);
        }
    }

    private long[] lateness(Instant begin, Map<String, Instant> dueByInstance) throws IOException, InterruptedException {
        long[] lateness = new long[dueByInstance.size()];
        int found = 0;
        // Bounded: the batch cannot have more timer instances than were started (plus earlier stragglers).
        int pages = dueByInstance.size() / PAGE + 2;
        for (int page = 0; page < pages; page++) {
            String body = get("/engine-rest/history/activity-instance?" + batchQuery(begin)
                    + "&sortBy=startTime&sortOrder=asc&firstResult=" + page * PAGE + "&maxResults=" + PAGE);
            Matcher object = OBJECT.matcher(body);
            int rows = 0;
            while (object.find()) {
                rows++;
                String json = object.group();
                Matcher instance = PROCESS_INSTANCE.matcher(json);
                Matcher end = END_TIME.matcher(json);
                if (instance.find() && end.find() && found < lateness.length) {
                    Instant due = dueByInstance.get(instance.group(1));
                    if (due != null) {
                        Instant ended = OffsetDateTime.parse(end.group(1), ENGINE_DATE).toInstant();
                        lateness[found++] = Duration.between(due, ended).toMillis();
                    }
                }
            }
            if (rows < PAGE) {
                break;
            }
        }
        return Arrays.copyOf(lateness, found);
    }

    private String batchQuery(Instant begin) {
        return "processDefinitionId=" + encode(definitionId) + "&activityId=" + TIMER_ID
                + "&finished=true&startedAfter=" + encode(format(begin));
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(client.request(path).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        return response.body();
    }

    private static String format(Instant instant) {
        return ENGINE_DATE.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
