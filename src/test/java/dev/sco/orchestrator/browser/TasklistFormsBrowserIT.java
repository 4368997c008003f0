package dev.sco.orchestrator.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tasklist in headless Chromium: log in as demo, start a drill from the failover's start form
 * (choosing the database from the offered list, typing only the reason), then open the approval,
 * see the pre-flight table, approve and complete. Screenshots go to target/.
 */
@OrchestratorTest
class TasklistFormsBrowserIT {

    @LocalServerPort
    int port;
    @Autowired
    ProcessEngine engine;
    @Autowired
    dev.sco.orchestrator.platform.longstep.LongStepWorker longSteps;
    @Autowired
    JdbcClient jdbc;

    private BrowserDrills drills;
    private ChromeDriver driver;
    private WebDriverWait wait;

    @BeforeEach
    void open() throws Exception {
        drills = new BrowserDrills(engine, longSteps, jdbc);
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1400,1100", "--lang=en-US");
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(90));
    }

    @AfterEach
    void close() throws Exception {
        if (driver != null) {
            // What the page showed at the end (also when a step timed out).
            screenshot("tasklist-last.png");
            Files.writeString(Path.of("target", "screenshots", "tasklist-last.html"), driver.getPageSource());
            Files.write(Path.of("target", "screenshots", "tasklist-browser.log"), driver.manage().logs()
                    .get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream().map(Object::toString).toList());
            driver.quit();
        }
        drills.close();
    }

    @Test
    void drillStartedFromItsStartFormIsApprovedWithThePreFlightTable() throws Exception {
        String tasklist = "http://localhost:" + port + "/camunda/app/tasklist/default/";
        driver.get(tasklist);
        By username = By.cssSelector("form[name=signinForm] input[type=text]");
        wait.until(ExpectedConditions.visibilityOfElementLocated(username)).sendKeys("demo");
        driver.findElement(By.cssSelector("form[name=signinForm] input[type=password]")).sendKeys("demo");
        driver.findElement(By.cssSelector("form[name=signinForm] button[type=submit]")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(username));

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
        screenshot("tasklist-start-drill.png");
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[ng-click='startProcessInstance()']")))
                .click();

        ProcessInstance drill = new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(d -> drills.started());
        Task approval = drills.runToApproval(drill);

        driver.get(tasklist + "#/?task=" + approval.getId());
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[ng-click='claim()']"))).click();
        WebElement table = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(".fjs-form-field-table")));
        wait.until(d -> table.getText().contains("remove-orphans"));
        assertThat(table.getText()).contains("restore-unique-indexes", "passed");
        screenshot("tasklist-approval-form.png");
        driver.findElement(By.cssSelector(".fjs-form-field-checkbox input")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[ng-click='complete()']"))).click();

        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> drills.taskGone(approval));
        assertThat(drills.finish(drill)).isEqualTo("drilled");
        screenshot("tasklist-approval-completed.png");
    }

    private void screenshot(String name) throws Exception {
        Path target = Path.of("target", "screenshots");
        Files.createDirectories(target);
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
