package dev.sco.orchestrator.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import dev.sco.orchestrator.Api;
import dev.sco.orchestrator.MutableClock;
import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.platform.EmbeddedPostgresServers;
import dev.sco.orchestrator.platform.longstep.LongStepWorker;
import dev.sco.orchestrator.serverfailover.DetectorPasses;
import dev.sco.orchestrator.serverfailover.ServerFailoverProcess;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The continuity console in a real browser: an operator signs in to Cockpit as {@code demo}, finds
 * the console on the dashboard and in the header, and sees every section filled and every chart
 * drawn from records the orchestrator made itself (a sync run, a drill, a server outage detected
 * from missing heartbeats, a maintenance pause), without a JavaScript error.
 */
@OrchestratorTest
class ConsoleBrowserIT extends BrowserSupport {

    private static final String DEMO_PAIR = EmbeddedPostgresServers.DEMO_PRIMARY;
    private static final List<String> SECTIONS = List.of("summary", "servers", "hubs", "databases", "operations",
            "decisions", "pauses");
    private static final List<String> CHARTS = List.of("data-loss", "sync-runs", "operations", "mttr", "drills",
            "heartbeats");

    @Autowired
    ProcessEngine engine;
    @Autowired
    LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MutableClock clock;
    @Autowired
    ApplicationContext context;

    private final List<ProcessInstance> started = new ArrayList<>();
    private final List<String> servers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(pi -> {
            if (engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(pi.getId()).count() > 0) {
                engine.getRuntimeService().deleteProcessInstance(pi.getId(), "browser test over");
            }
        });
        // The detector may also have found the standby silent, once the clock moved on.
        servers.forEach(server -> engine.getRuntimeService().createProcessInstanceQuery()
                .processDefinitionKey(ServerFailoverProcess.KEY).processInstanceBusinessKeyLike(server + "@%").list()
                .forEach(pi -> engine.getRuntimeService().deleteProcessInstance(pi.getId(), "browser test over")));
        clock.reset();
    }

    @Test
    void demoFindsTheConsoleFromCockpitAndEverySectionAndChartRenders() {
        String outageInstance = recordContinuityHistory();

        login("cockpit", "demo", "demo");
        WebElement dashboard = waiting(Duration.ofSeconds(60)).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-section=dashboard-continuity] .sco-tiles")));
        assertThat(dashboard.getText()).contains("Servers", "Database pairs");
        screenshot("cockpit-dashboard");

        driver.findElement(By.cssSelector("a[data-nav=continuity]")).click();
        waiting(Duration.ofSeconds(60)).until(d -> SECTIONS.stream().allMatch(s -> ready("[data-section=" + s + "]"))
                && CHARTS.stream().allMatch(c -> ready("[data-section=chart-" + c + "]")));
        assertThat(driver.getCurrentUrl()).contains("#/continuity");
        screenshot("continuity-console-full");

        for (String section : SECTIONS) {
            WebElement element = driver.findElement(By.cssSelector("[data-section=" + section + "]"));
            assertThat(element.getAttribute("data-state")).as(section).isEqualTo("ready");
            assertThat(element.findElement(By.cssSelector("[data-body]")).getAttribute("textContent"))
                    .as("%s: %s", section, element.getAttribute("outerHTML")).isNotBlank();
        }
        for (String chart : CHARTS) {
            WebElement box = driver.findElement(By.cssSelector("[data-chart=" + chart + "]"));
            assertThat(Integer.parseInt(box.getAttribute("data-points"))).as("points of %s", chart).isPositive();
            assertThat(box.findElements(By.cssSelector("canvas"))).as("canvas of %s", chart).isNotEmpty();
            assertThat((Boolean) ((JavascriptExecutor) driver).executeScript(
                    "const c = arguments[0].querySelector('canvas');"
                            + "const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                            + "for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) return true; } return false;",
                    box)).as("something drawn on %s", chart).isTrue();
        }
        // (textContent: sections below the fold of Cockpit's scrolling container have no visible text)
        assertThat(text("servers")).contains("ms-east-1");
        assertThat(text("databases")).contains(DEMO_PAIR);
        assertThat(text("operations")).contains("server-failover");
        assertThat(text("decisions")).contains("heartbeat-detector");
        assertThat(text("pauses")).contains("browser test window", "ms-west-1");
        ((JavascriptExecutor) driver).executeScript(
                "document.querySelector('[data-section=chart-data-loss]').scrollIntoView()");
        screenshot("continuity-console-charts");
        // The whole console in one picture (docs/images/continuity-console.png is taken from it).
        long height = (Long) ((JavascriptExecutor) driver).executeScript(
                "return document.querySelector('[data-console]').scrollHeight");
        driver.manage().window().setSize(new Dimension(1600, (int) height + 260));
        ((JavascriptExecutor) driver).executeScript("document.querySelector('[data-console]').scrollIntoView()");
        waiting(Duration.ofSeconds(10)).until(d -> CHARTS.stream().allMatch(c -> ready("[data-section=chart-" + c + "]")));
        screenshot("continuity-console");
        driver.manage().window().setSize(new Dimension(1600, 1200));

        // The running server failover links to its process instance in Cockpit.
        WebElement link = driver.findElement(By.cssSelector(
                "[data-section=operations] a[href*='" + outageInstance + "']"));
        clickInView(link);
        waiting(Duration.ofSeconds(60)).until(ExpectedConditions.urlContains("process-instance/" + outageInstance));
        waiting(Duration.ofSeconds(60)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".djs-container")));
        screenshot("cockpit-process-instance-from-console");

        List<LogEntry> log = browserLog();
        assertNoJavaScriptErrors(log);
    }

    private String text(String section) {
        return driver.findElement(By.cssSelector("[data-section=" + section + "]")).getAttribute("textContent");
    }

    private boolean ready(String selector) {
        List<WebElement> found = driver.findElements(By.cssSelector(selector));
        if (found.isEmpty()) {
            return false;
        }
        String state = found.get(0).getAttribute("data-state");
        if ("error".equals(state)) {
            throw new AssertionError(selector + " failed: " + found.get(0).getText());
        }
        return "ready".equals(state);
    }

    /**
     * Real records for every section and chart: heartbeats, a sync run of the demo pair, a drill
     * approved by a dba, a maintenance pause, and a server that stopped beating, was failed over by
     * the detector and came back (its process waits for the failback decision). Returns the
     * outage's process instance id.
     */
    private String recordContinuityHistory() {
        Api operator = new Api(port).as(Api.OPERATOR);
        if (clock.instant().atOffset(ZoneOffset.UTC).getHour() == 0) {
            clock.advance(Duration.ofMinutes(61)); // the default sync maintenance window is 00:00-01:00 UTC
        }
        String standby = Api.unique("console-standby");
        String failed = Api.unique("console-failed");
        servers.addAll(List.of(standby, failed));
        ok(operator.put("/api/servers/" + standby, "{\"kind\":\"management\",\"unresponsivePeriodSeconds\":60}"));
        ok(operator.put("/api/servers/" + failed,
                "{\"kind\":\"management\",\"standby\":\"" + standby + "\",\"unresponsivePeriodSeconds\":60}"));
        for (String server : List.of(standby, failed, "ms-east-1", "ms-east-2", "ms-west-1")) {
            ok(operator.post("/api/servers/" + server + "/heartbeat"));
        }

        long runId = ok(new Api(port).as(Api.DBA).post("/api/sync/" + DEMO_PAIR + "/runs")).body().get("runId").asLong();
        await().atMost(Duration.ofSeconds(120)).until(() -> !"running".equals(jdbc
                .sql("select result from sync_run where id = ?").param(runId).query(String.class).single()));

        Api.Response drill = ok(new Api(port).post("/api/failovers", "{\"database\":\"" + DEMO_PAIR
                + "\",\"mode\":\"drill\",\"reason\":\"browser test drill\",\"ticket\":\"CHG-7\"}"));
        ProcessInstance drillInstance = instance(drill.body().get("processInstanceId").asText());
        runJobs(drillInstance);
        Task approval = engine.getTaskService().createTaskQuery().processInstanceId(drillInstance.getId()).singleResult();
        ok(new Api(port).as(Api.DBA).post("/engine-rest/task/" + approval.getId() + "/submit-form",
                "{\"variables\": {\"approved\": {\"value\": true, \"type\": \"Boolean\"}}}"));
        runJobs(drillInstance);
        assertThat(jdbc.sql("select state from continuity_operation where process_instance_id = ?")
                .param(drillInstance.getId()).query(String.class).single()).isEqualTo("drilled");

        ok(operator.post("/api/pauses", "{\"target\":{\"kind\":\"server\",\"name\":\"ms-west-1\"},"
                + "\"reason\":\"browser test window\",\"until\":\"" + clock.instant().plus(Duration.ofHours(2)) + "\"}"));

        // The failed server stops beating; five minutes later the detector fails it over to its standby.
        clock.advance(Duration.ofMinutes(5));
        for (String server : List.of(standby, "ms-east-1", "ms-east-2", "ms-west-1")) {
            ok(operator.post("/api/servers/" + server + "/heartbeat"));
        }
        DetectorPasses.pass(context, clock.instant().truncatedTo(ChronoUnit.MICROS));
        ProcessInstance outage = engine.getRuntimeService().createProcessInstanceQuery()
                .processDefinitionKey(ServerFailoverProcess.KEY).processInstanceBusinessKeyLike(failed + "@%")
                .singleResult();
        assertThat(outage).as("server failover of %s", failed).isNotNull();
        started.add(outage);
        runJobs(outage);
        clock.advance(Duration.ofMinutes(2));
        ok(operator.post("/api/servers/" + failed + "/heartbeat"));
        DetectorPasses.pass(context, clock.instant().truncatedTo(ChronoUnit.MICROS));
        assertThat(engine.getTaskService().createTaskQuery().processInstanceId(outage.getId())
                .taskDefinitionKey(ServerFailoverProcess.DECIDE_FAILBACK).count()).isEqualTo(1);
        return outage.getId();
    }

    private ProcessInstance instance(String id) {
        ProcessInstance instance = engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(id)
                .singleResult();
        started.add(instance);
        return instance;
    }

    /** Executes the instance's due jobs and long steps until it waits for a person, a message or ends. */
    private void runJobs(ProcessInstance instance) {
        for (int i = 0; i < 200; i++) {
            List<Job> jobs = engine.getManagementService().createJobQuery().processInstanceId(instance.getId())
                    .executable().list();
            if (jobs.isEmpty()) {
                if (longSteps.runDue() > 0) {
                    continue;
                }
                return;
            }
            engine.getManagementService().executeJob(jobs.get(0).getId());
        }
        throw new AssertionError("process did not settle");
    }

    private static Api.Response ok(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(200, 204);
        return response;
    }

}
