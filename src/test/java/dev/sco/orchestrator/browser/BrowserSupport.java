package dev.sco.orchestrator.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Shared set-up of the browser tests (profile {@code browser}): headless Chromium driven by the
 * system's chromedriver ({@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}, overridable with
 * {@code -Dbrowser.chromium=} and {@code -Dbrowser.chromedriver=}), the browser's console log
 * collected, screenshots under {@code target/screenshots}.
 */
public abstract class BrowserSupport {

    protected static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @LocalServerPort
    protected int port;

    protected WebDriver driver;

    @BeforeEach
    void startBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("browser.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1600,1200", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver")).toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1600, 1200));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    protected String url(String path) {
        return "http://localhost:" + port + path;
    }

    protected WebDriverWait waiting(Duration timeout) {
        return new WebDriverWait(driver, timeout);
    }

    /** Signs in through the web apps' login form of {@code app} (cockpit, tasklist). */
    protected void login(String app, String user, String password) {
        driver.get(url("/camunda/app/" + app + "/default/"));
        By username = By.cssSelector("form[name=signinForm] input[type=text]");
        waiting(Duration.ofSeconds(60)).until(ExpectedConditions.visibilityOfElementLocated(username));
        driver.findElement(username).sendKeys(user);
        driver.findElement(By.cssSelector("form[name=signinForm] input[type=password]")).sendKeys(password);
        driver.findElement(By.cssSelector("form[name=signinForm] button[type=submit]")).click();
        waiting(Duration.ofSeconds(60)).until(ExpectedConditions.invisibilityOfElementLocated(username));
    }

    /**
     * Clicks an element after scrolling it to the middle of its scrolling container: the web apps'
     * fixed header and footer would otherwise take a click meant for an element at the edge.
     */
    protected void clickInView(org.openqa.selenium.WebElement element) {
        ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", element);
        waiting(Duration.ofSeconds(30)).until(ExpectedConditions.elementToBeClickable(element));
        element.click();
    }

    /** Saves a PNG of the window under target/screenshots and returns its path. */
    protected Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Path taken = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(taken, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The browser's console messages so far (each read returns only the new ones). */
    protected List<LogEntry> browserLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    /**
     * Requests the stock web apps make and expect to fail, which the browser logs as SEVERE network
     * messages: the "who is signed in" probe before the login (404 until someone is), and the
     * header's probe for a separate welcome app that this service does not deploy.
     */
    private static final List<String> STOCK_PROBES = List.of("/camunda/api/admin/auth/user/default ",
            "/camunda-welcome ");

    /**
     * Fails with the messages when the browser logged an error (SEVERE): a JavaScript error, or a
     * request that failed, except the stock probes above.
     */
    protected void assertNoJavaScriptErrors(List<LogEntry> entries) {
        assertThat(entries.stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !(m.contains("Failed to load resource") && STOCK_PROBES.stream().anyMatch(m::contains)))
                .toList()).as("JavaScript errors in the browser").isEmpty();
    }
}
