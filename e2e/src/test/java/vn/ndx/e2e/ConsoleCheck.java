package vn.ndx.e2e;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator console ({@code /console/index.html} on the gateway) in a real headless browser: Debian's
 * chromium driven through its own chromedriver, so nothing is downloaded at test time. Reads what the page
 * shows the way an operator sees it, and what the browser's console said meanwhile.
 */
final class ConsoleCheck implements AutoCloseable {

    static final String PAGE = "/console/index.html";
    private static final File BROWSER = new File("/usr/bin/chromium");
    private static final File DRIVER = new File("/usr/bin/chromedriver");

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final WebDriverWait wait;

    private ConsoleCheck(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(100));
    }

    /** Installs the browser where it is missing (as CI's fresh machine needs), then starts it; fails if it cannot run. */
    static ConsoleCheck open() throws Exception {
        var install = Platform.run(Duration.ofMinutes(5), "deploy/console/install-browser");
        assertThat(install.exitCode()).as("a headless browser for the console test: " + install.output()).isZero();

        var logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        var options = new ChromeOptions().setBinary(BROWSER)
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1400,1600", "--lang=en-US");
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream()).build();
        try {
            return new ConsoleCheck(service, new ChromeDriver(service, options));
        } catch (RuntimeException e) {
            service.stop();
            throw new AssertionError("chromium did not start through " + DRIVER + ": " + e.getMessage(), e);
        }
    }

    /** Opens the console and logs in with client credentials. */
    void logIn(String clientId, String secret) {
        if (!driver.getCurrentUrl().endsWith(PAGE)) {
            driver.get(Platform.gateway() + PAGE);
        }
        WebElement id = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("client-id")));
        id.clear();
        id.sendKeys(clientId);
        WebElement secretField = driver.findElement(By.id("client-secret"));
        secretField.clear();
        secretField.sendKeys(secret);
        driver.findElement(By.id("login-button")).click();
    }

    /**
     * The API reference ({@code /docs/api}) as the browser renders it: the path of every operation Swagger UI
     * lists, once it has read NDX's OpenAPI document.
     */
    List<String> apiReferencePaths() {
        driver.get(Platform.gateway() + "/docs/api");
        wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector(".opblock-summary-path"), 10));
        return driver.findElements(By.cssSelector(".opblock-summary-path")).stream()
                .map(element -> element.getDomAttribute("data-path")).toList();
    }

    /** The message the login form shows, once it shows one. */
    String loginError() {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error"))).getText();
    }

    /** Today's total as shown, once shown; the text must be the same number as the figure behind it. */
    long todayTotal() {
        WebElement total = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#today-total[data-value]")));
        long value = Long.parseLong(total.getDomAttribute("data-value"));
        assertThat(total.getText().replaceAll("[^0-9]", "")).as("today's total as written").isEqualTo(Long.toString(value));
        return value;
    }

    /** The Vietnamese calendar day the page counts as today. */
    String todayDate() {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#today-total[data-date]")))
                .getDomAttribute("data-date");
    }

    /** The bars of the daily chart, each with its {@code data-date} and {@code data-total}. */
    List<WebElement> dailyBars() {
        awaitLoaded("daily-chart");
        return driver.findElements(By.cssSelector("#daily-chart rect.bar"));
    }

    /** The text of a panel's table once its figures arrived; fails if the panel shows an error. */
    String panel(String id) {
        awaitLoaded(id);
        return driver.findElement(By.id(id)).getText();
    }

    /**
     * The counts behind one service's row of the outcome shares: calls, then answered, refused, bad requests and
     * failed, as the console holds them ({@code data-value}).
     */
    List<Long> serviceOutcomes(String service) {
        awaitLoaded("service-outcomes");
        for (WebElement row : driver.findElements(By.cssSelector("#service-outcomes tbody tr"))) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            if (cells.get(0).getText().startsWith(service)) {
                return cells.subList(1, cells.size()).stream().map(cell -> Long.parseLong(cell.getDomAttribute("data-value"))).toList();
            }
        }
        throw new AssertionError("no row for " + service + " in the outcome shares");
    }

    long deadLettersTotal() {
        awaitLoaded("dead-letters");
        return Long.parseLong(driver.findElement(By.id("dead-letters-total")).getDomAttribute("data-value"));
    }

    /** The access requests waiting, as the console counts them. */
    long accessRequestsPending() {
        awaitLoaded("access-requests");
        return Long.parseLong(driver.findElement(By.id("access-pending")).getDomAttribute("data-value"));
    }

    /** Transactions per second, once two polls of today's total have been made. */
    double liveRate() {
        WebElement rate = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#tps[data-state=measured]")));
        return Double.parseDouble(rate.getDomAttribute("data-value"));
    }

    /** What the browser's console said since the last call (errors and warnings of the page, failed loads). */
    List<LogEntry> browserLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    Path screenshot(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    private void awaitLoaded(String id) {
        WebElement element = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#" + id + "[data-state=loaded], #" + id + "[data-state=error]")));
        assertThat(element.getDomAttribute("data-state")).as("%s: %s", id, element.getText()).isEqualTo("loaded");
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
