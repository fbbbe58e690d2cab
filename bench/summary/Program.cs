// Measures the dashboard summary at scale: the uncached computation (SummaryQuery, straight on the
// database) and the real service's poll paths over HTTP (304 with If-None-Match, cached 200).
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Dashboard;
using Miso.Privacy.Infrastructure.Database;

var options = args.Chunk(2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
var connection = options["connection"];
var label = options.GetValueOrDefault("label", "uncached computation");
var iterations = int.Parse(options.GetValueOrDefault("iterations", "20"));

using (var db = new PrivacyDbContext((DbContextOptions<PrivacyDbContext>)DatabaseSetup.Configure(new DbContextOptionsBuilder<PrivacyDbContext>(), connection).Options))
{
    var summary = await SummaryQuery.ComputeAsync(db, DateTimeOffset.UtcNow, default);
    Console.Error.WriteLine($"summary: open {summary.Open}, overdue {summary.Overdue}, completed 30 d {summary.Completed.Last30d}, p95 {summary.CompletionTime.P95Days} d");
    Row(label, await Measure(iterations, () => SummaryQuery.ComputeAsync(db, DateTimeOffset.UtcNow, default)));
}

if (options.TryGetValue("url", out var url))
{
    using var http = new HttpClient { BaseAddress = new Uri(url) };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options["key"]);
    var first = await http.GetAsync("/api/v1/dashboard/summary");
    first.EnsureSuccessStatusCode();
    var etag = first.Headers.ETag!;
    var polls = int.Parse(options.GetValueOrDefault("polls", "500"));
    Row("HTTP 304 (If-None-Match)", await Measure(polls, async () =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/dashboard/summary");
        request.Headers.IfNoneMatch.Add(etag);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.NotModified) throw new InvalidOperationException($"expected 304, got {(int)response.StatusCode}");
    }));
    Row("HTTP 200 (cached summary)", await Measure(polls, async () => (await http.GetAsync("/api/v1/dashboard/summary")).EnsureSuccessStatusCode()));
}

static async Task<double[]> Measure(int n, Func<Task> action)
{
    await action();
    var times = new double[n];
    for (var i = 0; i < n; i++)
    {
        var watch = Stopwatch.StartNew();
        await action();
        times[i] = watch.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    return times;
}

static void Row(string name, double[] t)
{
    double P(double q) => t[Math.Min(t.Length - 1, (int)Math.Ceiling(q * t.Length) - 1)];
    Console.WriteLine($"| {name,-36} | {t.Length,5} | {P(0.5),9:F2} | {P(0.99),9:F2} |");
}
