package dev.sco.orchestrator.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.sco.orchestrator.OrchestratorTest;
import dev.sco.orchestrator.dbfailover.BrowserDrills;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tasklist in headless Chromium: {@code demo} starts a drill from the failover's start form
 * (choosing the database from the offered list, typing only the reason, no variable names), then
 * another DBA ({@code dba}: a requester may not approve their own request) opens the approval, sees
 * the pre-flight table, approves and completes. Screenshots go to target/screenshots.
 */
@OrchestratorTest
class TasklistFormsBrowserIT extends BrowserSupport {

    @Autowired
    ProcessEngine engine;
    @Autowired
    dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;

    private BrowserDrills drills;

    @BeforeEach
    void estate() throws Exception {
        drills = new BrowserDrills(engine, longSteps, jdbc);
    }

    @AfterEach
    void closeEstate() throws Exception {
        drills.close();
    }

    @Test
    void drillStartedFromItsStartFormIsApprovedWithThePreFlightTable() {
        WebDriverWait wait = waiting(Duration.ofSeconds(90));
        login("tasklist", "demo", "demo");

        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".start-process-action a"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Database failover"))).click();
        WebElement database = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector(".fjs-form-field-select input")));
        database.click();
        database.sendKeys(drills.primary());
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath(
                "//*[contains(@class,'fjs-dropdownlist-item') and normalize-space(.)='" + drills.primary() + "']")))
                .click();
        driver.findElement(By.cssSelector(".fjs-form-field-textarea textarea")).sendKeys("drill from Tasklist");
        screenshot("tasklist-start-drill");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[ng-click='startProcessInstance()']")))
                .click();

        ProcessInstance drill = waiting(Duration.ofSeconds(30)).until(d -> drills.started());
        Task approval = drills.runToApproval(drill);
        assertNoJavaScriptErrors(browserLog());

        driver.manage().deleteAllCookies();
        login("tasklist", "dba", "dba");
        driver.get(url("/camunda/app/tasklist/default/#/?task=" + approval.getId()));
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[ng-click='claim()']"))).click();
        WebElement table = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".fjs-form-field-table")));
        wait.until(d -> table.getText().contains("remove-orphans"));
        assertThat(table.getText()).contains("restore-unique-indexes");
        screenshot("tasklist-approval-form");
        clickInView(driver.findElement(By.cssSelector(".fjs-form-field-checkbox input")));
        clickInView(wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button[ng-click='complete()']"))));

        waiting(Duration.ofSeconds(30)).until(d -> drills.taskGone(approval));
        assertThat(engine.getHistoryService().createHistoricTaskInstanceQuery().taskId(approval.getId())
                .singleResult().getAssignee()).isEqualTo("dba");
        assertThat(drills.finish(drill)).isEqualTo("drilled");
        screenshot("tasklist-approval-completed");
        assertNoJavaScriptErrors(browserLog());
    }
}
