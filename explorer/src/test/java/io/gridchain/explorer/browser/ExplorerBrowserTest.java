package io.gridchain.explorer.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.bench.pool.LocalPool;
import io.gridchain.explorer.Explorer;
import io.gridchain.market.Market;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.web3j.utils.Numeric;

/**
 * The explorer in a real headless Chromium, on a real pool: the network page, a deal found by the search box whose
 * task goes from pending to certified on screen without a reload, the pool, app, task, account and order book pages
 * checked against the chain. The pool starts without workers, so the test sees the task wait before one joins.
 * Screenshots of the pages land in target/screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExplorerBrowserTest {
    static final Duration WAIT = Duration.ofSeconds(90);

    static LocalPool pool;
    static Market market;
    static Explorer explorer;
    static WebDriver browser;
    static String app;
    static DealRecord deal;

    @BeforeAll
    static void start() throws Exception {
        pool = new LocalPool(0);
        market = Market.start(Market.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses())
                .withPollMillis(50));
        app = Words.canonical(pool.publish("primes"));
        publish(pool.appOrder(app), pool.appOwner());
        publish(pool.poolOrder(), pool.schedulerOwner());
        explorer = Explorer.start(Explorer.Config.of(pool.net().rpcUrl(), pool.net().protocol().addresses(),
                Files.createTempDirectory("explorer")).withMarket(market.url()).withPoolsOnPrivateNetwork(true));
        browser = Chromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (explorer != null) explorer.close();
        if (market != null) market.close();
        if (pool != null) pool.close();
    }

    static void publish(io.gridchain.protocol.orders.Order order, GridClient signer) {
        market.book().publish(order, Numeric.toHexString(signer.sign(order)));
    }

    static void open(String path) {
        browser.get(explorer.url() + path);
    }

    static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT, Duration.ofMillis(200));
    }

    static int status(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(explorer.url() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static void awaitIndexed(String path) {
        LocalPool.await(path + " in the index", WAIT, () -> {
            try {
                return status(path) == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    @Order(1)
    void theNetworkPageShowsThePoolTheAppsAndAChart() {
        awaitIndexed("/api/pool/" + pool.workerpool().toLowerCase(Locale.ROOT));
        open("/");
        assertThat(browser.getTitle()).isEqualTo("Network · gridchain explorer");
        waiting().until(d -> text("workerpools").equals("1"));
        assertThat(text("deals")).isEqualTo("0");
        // the chart library from npm drew on the canvas
        waiting().until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript(
                "return window.Chart !== undefined && window.Chart.getChart('certified-chart') !== undefined")));
    }

    @Test
    @Order(2)
    void aDealFoundByTheSearchBoxShowsItsTaskGoFromPendingToCertifiedWithoutAReload() {
        deal = pool.request(app, "1000", 2, 1);
        awaitIndexed("/api/deal/" + deal.dealId());
        // before any worker: the task waits, and its pool says it assigned no replica yet
        open("/task/" + deal.taskId(0).toLowerCase(Locale.ROOT));
        waiting().until(d -> {
            d.navigate().refresh();
            return text("timeline").contains("0 replicas assigned, 0 contributed (the pool's scheduler says)");
        });
        assertThat(text("status")).isEqualTo("pending");
        open("/");
        WebElement search = browser.findElement(By.id("search"));
        search.sendKeys(deal.dealId().toUpperCase(Locale.ROOT).replace("0X", "0x"), Keys.ENTER);
        waiting().until(ExpectedConditions.urlToBe(explorer.url() + "/deal/" + deal.dealId().toLowerCase(Locale.ROOT)));
        assertThat(text("status-0")).isEqualTo("pending"); // no worker yet
        assertThat(text("volume")).isEqualTo("2");
        Chromium.screenshot(browser, "deal-pending");
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = 42");

        pool.startWorker(pool.net().accounts().get(5));
        waiting().until(d -> text("status-0").equals("certified") && text("status-1").equals("certified"));
        waiting().until(d -> text("certified").equals("2"));
        // the page moved by itself: the document the test marked is still the one shown
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument")).isEqualTo(42L);
        assertThat(pool.certified(deal)).isEqualTo(2);
        assertThat(pool.requester().taskStatus(deal.taskId(0))).isEqualTo(GridClient.TaskStatus.FINALIZED);
        waiting().until(d -> browser.findElements(By.cssSelector("#transactions tbody tr")).size() >= 2);
        Chromium.screenshot(browser, "deal-certified");
    }

    @Test
    @Order(3)
    void thePoolPageShowsItsBondItsWorkerAliveAndItsDealAsTheChainHasThem() {
        String owner = pool.owner();
        open("/pool/" + pool.workerpool());
        assertThat(text("bond")).isEqualTo(pool.requester().stakeOf(owner, owner).bond().toString());
        assertThat(text("api")).isEqualTo(pool.schedulerUrl());
        assertThat(text("deals")).isEqualTo("1");
        assertThat(text("certified")).isEqualTo(Long.toString(pool.certified(deal)));
        String worker = pool.net().accounts().get(5).getAddress().toLowerCase(Locale.ROOT);
        List<WebElement> rows = browser.findElements(By.cssSelector("#workers tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).findElement(By.cssSelector("a")).getAttribute("title")).isEqualTo(worker);
        assertThat(rows.get(0).findElements(By.tagName("td")).get(3).getText())
                .isEqualTo(Long.toString(pool.stakeOf(worker).score()));
        long batched = 0;
        for (WebElement b : browser.findElements(By.cssSelector("#batches tbody tr"))) {
            batched += Long.parseLong(b.findElements(By.tagName("td")).get(3).getText());
        }
        assertThat(batched).isEqualTo(pool.certified(deal));
        Chromium.screenshot(browser, "pool");
    }

    @Test
    @Order(4)
    void theAppPageShowsItsChecksumItsOrderAndWhatItEarned() {
        open("/app/" + app);
        String checksum = Words.hex(GridClient.call(() -> pool.requester().apps().appOf(app).send()).checksum);
        assertThat(text("checksum")).isEqualTo(checksum);
        assertThat(text("certified")).isEqualTo("2");
        assertThat(text("earned")).isEqualTo(Long.toString(2 * LocalPool.APP_PRICE));
        List<WebElement> orders = browser.findElements(By.cssSelector("#orders tbody tr"));
        assertThat(orders).hasSize(1);
        assertThat(orders.get(0).findElements(By.tagName("td")).get(1).getText())
                .isEqualTo(Long.toString(LocalPool.APP_PRICE));
        Chromium.screenshot(browser, "app");
    }

    @Test
    @Order(5)
    void theTaskPageShowsItsTimelineAndTheCertifiedDigestButNoLogs() {
        String taskId = deal.taskId(0).toLowerCase(Locale.ROOT);
        open("/task/" + taskId);
        assertThat(text("status")).isEqualTo("certified");
        assertThat(text("digest")).isEqualTo(pool.requester().resultDigest(taskId));
        String timeline = text("timeline");
        assertThat(timeline).contains("matched").contains("consensus reached: certified");
        assertThat(browser.getPageSource()).doesNotContain("/logs");
        Chromium.screenshot(browser, "task");
    }

    @Test
    @Order(6)
    void theAccountAndTheOrderBookPagesMatchTheChainAndTheBook() {
        String requester = pool.requester().address().toLowerCase(Locale.ROOT);
        open("/account/" + requester);
        var balance = pool.requester().balanceOf(requester);
        assertThat(text("free")).isEqualTo(balance.free().toString());
        assertThat(text("locked")).isEqualTo(balance.locked().toString());
        assertThat(browser.findElements(By.cssSelector(".deals tbody tr"))).hasSize(1);
        Chromium.screenshot(browser, "account");
        open("/orders");
        List<WebElement> offers = browser.findElements(By.cssSelector("#offers tbody tr"));
        assertThat(offers).extracting(WebElement::getText).anySatisfy(t -> assertThat(t).startsWith("app"))
                .anySatisfy(t -> assertThat(t).startsWith("workerpool"));
        Chromium.screenshot(browser, "orders");
        open("/");
        waiting().until(d -> text("tasksCertified").equals("2"));
        Chromium.screenshot(browser, "network");
    }

    @Test
    @Order(7)
    void anAppNamedWithScriptIsShownAsTextAndRunsNothing() {
        String evil = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";
        String evilApp = Words.canonical(pool.appOwner().createApp(evil, "wasm", "javascript:alert(1)",
                "0x" + "00".repeat(32)));
        awaitIndexed("/api/app/" + evilApp);
        open("/app/" + evilApp);
        assertThat(text("name")).isEqualTo(evil);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined")).isEqualTo(true);
        assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
    }

    @Test
    @Order(8)
    void aSearchForNonsenseSaysWhatToTypeInOneLine() {
        open("/");
        browser.findElement(By.id("search")).sendKeys("<b>bold</b>", Keys.ENTER);
        assertThat(text("error")).isEqualTo("search for a deal id, a task id (0x and 64 hex digits) or an address"
                + " (0x and 40), not '<b>bold</b>'");
        assertThat(browser.findElements(By.cssSelector("main b"))).isEmpty();
    }
}
