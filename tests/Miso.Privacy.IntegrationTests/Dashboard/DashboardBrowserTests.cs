using System.Net;
using Miso.Privacy.Erasure;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Xunit.Abstractions;

namespace Miso.Privacy.IntegrationTests.Dashboard;

/// <summary>The page in headless Chromium against the service on a real port: key prompt, tiles, a timeline, search.</summary>
public sealed class DashboardBrowserTests(KestrelPrivacyApp app, ITestOutputHelper output) : IClassFixture<KestrelPrivacyApp>
{
    [Fact]
    public async Task Dashboard_ShowsTheApiNumbers_OpensAnOverdueTimeline_AndFindsATicket()
    {
        var now = DateTimeOffset.UtcNow;
        var raw = $"browser-raw-{Guid.NewGuid():N}";
        await Seed.RequestsAsync(app,
            new SeedRequest(RequestStatus.Pending, now.AddDays(-40), now.AddDays(-10)) { UserIds = [raw], Ticket = "ZD-OVERDUE", Work = [new("eu", WorkItemState.Pending)] },
            new SeedRequest(RequestStatus.Failed, now.AddDays(-5), now.AddDays(4)) { UserIds = [raw + "-2"], Ticket = "ZD-FAILED", Work = [new("eu", WorkItemState.Failed)] },
            new SeedRequest(RequestStatus.Completed, now.AddDays(-9), now.AddDays(21)) { CompletedAt = now.AddDays(-2), UserIds = [raw + "-3"], Work = [new("eu", WorkItemState.Deleted, now.AddDays(-2))] },
            new SeedRequest(RequestStatus.Pending, now.AddDays(-20), now.AddDays(40))
            {
                Ticket = "ZD-EXTENDED", UserIds = [raw + "-4"], OriginalDueAt = now.AddDays(10), ExtendedAt = now.AddDays(-1), Type = RequestType.Delete,
            });
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestKeys.Reader.Value);
        var summary = await (await http.GetAsync("/api/v1/dashboard/summary")).JsonAsync(HttpStatusCode.OK);

        using var driver = StartChromium();
        var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(20));
        driver.Navigate().GoToUrl(new Uri(app.BaseAddress, "/dashboard"));
        wait.Until(d => d.FindElement(By.Id("key-input")).Displayed);
        driver.FindElement(By.Id("key-input")).SendKeys(TestKeys.Reader.Value);
        driver.FindElement(By.Id("key-submit")).Click();
        try { wait.Until(d => d.FindElement(By.TagName("body")).GetAttribute("data-loaded") == "true"); }
        catch (WebDriverTimeoutException)
        {
            var logs = string.Join("\n", driver.Manage().Logs.GetLog(LogType.Browser).Select(e => $"{e.Level} {e.Message}"));
            var state = driver.ExecuteScript("return [typeof Views, typeof Charts, document.getElementById('live').className, document.getElementById('key-dialog').open, sessionStorage.length, document.getElementById('key-error').textContent, document.getElementById('tiles').innerHTML.length].join(' | ')");
            Assert.Fail($"The dashboard did not load. State: {state}\nBrowser log:\n{logs}");
        }

        string Tile(string name) => driver.FindElement(By.CssSelector($"[data-tile='{name}'] .value")).Text;
        Assert.Equal(summary.GetProperty("open").GetInt64().ToString(), Tile("open"));
        Assert.Equal(summary.GetProperty("overdue").GetInt64().ToString(), Tile("overdue"));
        Assert.Equal(summary.GetProperty("due_within7_days").GetInt64().ToString(), Tile("due-soon"));
        Assert.Equal(summary.GetProperty("completed").GetProperty("last30d").GetInt64().ToString(), Tile("completed-30d"));
        Assert.Equal("7 d", Tile("p95-days"));
        Assert.Equal(summary.GetProperty("completed").GetProperty("late30d").GetInt64().ToString(), Tile("completed-late-30d"));
        Assert.Equal("1", Tile("extended"));
        Assert.Contains("delete 1", driver.FindElement(By.Id("counts")).Text);
        Assert.Contains("alert", driver.FindElement(By.CssSelector("[data-tile='overdue']")).GetAttribute("class"));
        Assert.Equal("rgba(208, 49, 45, 1)", driver.FindElement(By.CssSelector("[data-tile='overdue'] .value")).GetCssValue("color"));
        Assert.Equal(30, driver.FindElements(By.CssSelector("#daily-chart rect.received")).Count);

        driver.FindElement(By.CssSelector("#overdue-list a")).Click();
        wait.Until(d => d.FindElements(By.CssSelector("#timeline li")).Count > 0);
        Assert.Contains("request.created", driver.FindElement(By.Id("timeline")).Text);
        Assert.Contains("ZD-OVERDUE", driver.FindElement(By.Id("detail")).Text);
        var screenshot = SaveScreenshot(driver);

        driver.FindElement(By.Id("search-kind")).SendKeys("Ticket");
        driver.FindElement(By.Id("search-input")).SendKeys("ZD-FAILED" + Keys.Enter);
        wait.Until(d => d.FindElement(By.Id("results")).Displayed && d.FindElement(By.Id("results")).Text.Contains("ZD-FAILED"));

        driver.FindElement(By.Id("search-input")).SendKeys("ZD-EXTENDED" + Keys.Enter);
        wait.Until(d => d.FindElement(By.Id("results")).Text.Contains("ZD-EXTENDED"));
        driver.FindElement(By.CssSelector("#results a")).Click();
        wait.Until(d => d.FindElement(By.Id("detail")).Text.Contains("ZD-EXTENDED"));
        Assert.Contains("extended from", driver.FindElement(By.CssSelector("#detail [data-fact='due']")).Text);
        Assert.Contains("seeded extension", driver.FindElement(By.CssSelector("#detail [data-fact='extension']")).Text);
        Assert.Contains("delete", driver.FindElement(By.Id("detail")).Text);

        driver.FindElement(By.Id("search-kind")).SendKeys("User id");
        driver.FindElement(By.Id("search-input")).SendKeys(raw + Keys.Enter);
        wait.Until(d => d.FindElement(By.Id("results")).Text.Contains("suppressed since"));
        Assert.DoesNotContain(raw, driver.PageSource);
        output.WriteLine($"Screenshot: {screenshot}");
    }

    static ChromeDriver StartChromium()
    {
        Assert.True(File.Exists("/usr/bin/chromium") && File.Exists("/usr/bin/chromedriver"),
            "Debian chromium and chromium-driver are needed: scripts/test.sh installs them.");
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1800",
            $"--user-data-dir={Directory.CreateTempSubdirectory("miso-chromium-").FullName}");
        options.SetLoggingPreference(LogType.Browser, OpenQA.Selenium.LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    static string SaveScreenshot(ChromeDriver driver)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "dashboard.png");
        driver.GetScreenshot().SaveAsFile(path);
        return path;
    }
}
