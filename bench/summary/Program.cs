// Measures the dashboard summary at scale: the uncached computation before (SummaryRecount, the rows recounted) and
// after (SummaryQuery, the counters), straight on the database; the real service's poll paths over HTTP (304 with
// If-None-Match, cached 200); and, with --intake-rate, polls while single-subject creates arrive at that rate (open loop).
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Dashboard;
using Miso.Privacy.Infrastructure.Database;

var options = args.Chunk(2).ToDictionary(p => p[0].TrimStart('-'), p => p[1]);
var connection = options["connection"];
var iterations = int.Parse(options.GetValueOrDefault("iterations", "20"));
// The counters path is fast enough for a p99 that is not simply the slowest of 20 runs.
var countersIterations = int.Parse(options.GetValueOrDefault("counters-iterations", "200"));
var label = options.GetValueOrDefault("label", "");
// --before 0 skips the old recount (about a second per computation at 1M) while iterating on the counters.
var withBefore = options.GetValueOrDefault("before", "1") == "1";
PrivacyDbContext NewDb() => new((DbContextOptions<PrivacyDbContext>)DatabaseSetup.Configure(new DbContextOptionsBuilder<PrivacyDbContext>(), connection).Options);

if (options.GetValueOrDefault("uncached", "1") == "1")
    using (var db = NewDb())
{
    if (withBefore)
    {
        var before = await SummaryRecount.ComputeAsync(db, DateTimeOffset.UtcNow, default);
        Console.Error.WriteLine($"recount: open {before.Open}, overdue {before.Overdue}, completed 30 d {before.Completed.Last30d}, p95 {before.CompletionTime.P95Days} d");
    }
    var after = await SummaryQuery.ComputeAsync(db, DateTimeOffset.UtcNow, default);
    Console.Error.WriteLine($"counters: open {after.Open}, overdue {after.Overdue}, completed 30 d {after.Completed.Last30d}, p95 {after.CompletionTime.P95Days} d");
    if (withBefore)
        Row($"uncached, before (recount){label}", await Measure(iterations, () => SummaryRecount.ComputeAsync(db, DateTimeOffset.UtcNow, default)));
    Row($"uncached, after (counters){label}", await Measure(countersIterations, () => SummaryQuery.ComputeAsync(db, DateTimeOffset.UtcNow, default)));
}

if (!options.TryGetValue("url", out var url))
    return;
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options["key"]);
var polls = int.Parse(options.GetValueOrDefault("polls", "500"));
if (!options.TryGetValue("intake-rate", out var rateText))
{
    var first = await http.GetAsync("/api/v1/dashboard/summary");
    first.EnsureSuccessStatusCode();
    var etag = first.Headers.ETag!;
    Row("HTTP 304 (If-None-Match)", await Measure(polls, async () =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/dashboard/summary");
        request.Headers.IfNoneMatch.Add(etag);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.NotModified) throw new InvalidOperationException($"expected 304, got {(int)response.StatusCode}");
    }));
    Row("HTTP 200 (cached summary)", await Measure(polls, async () => (await http.GetAsync("/api/v1/dashboard/summary")).EnsureSuccessStatusCode()));
    return;
}

// While creates arrive at the rate (each sent when due, whatever earlier ones do), poll the summary back to back: every
// create moves the audit head, so nearly every poll recomputes. Then the same load with the two uncached computations.
var rate = int.Parse(rateText);
var seconds = int.Parse(options.GetValueOrDefault("seconds", "15"));
var (pollTimes, intake) = await UnderIntake(() => Poll(http));
Row($"HTTP 200 poll, intake {rate}/s", pollTimes);
Result("summary.poll_under_intake", pollTimes, intake);
using (var db = NewDb())
{
    var (after, intakeAfter) = await UnderIntake(() => SummaryQuery.ComputeAsync(db, DateTimeOffset.UtcNow, default));
    Row($"uncached after, intake {rate}/s", after);
    Result("summary.after_under_intake", after, intakeAfter);
    if (withBefore)
    {
        var (before, intakeBefore) = await UnderIntake(() => SummaryRecount.ComputeAsync(db, DateTimeOffset.UtcNow, default));
        Row($"uncached before, intake {rate}/s", before);
        Result("summary.before_under_intake", before, intakeBefore);
    }
}

async Task<(double[] Times, string Intake)> UnderIntake(Func<Task> poll)
{
    using var stop = new CancellationTokenSource();
    var creates = Task.Run(() => Intake(stop.Token));
    var times = new List<double>();
    var failures = 0;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
    {
        var one = Stopwatch.StartNew();
        try
        {
            await poll();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // A poll that failed (503 when the pool is exhausted, or timed out) still counts its time, and is reported.
            failures++;
        }
        times.Add(one.Elapsed.TotalMilliseconds);
        await Task.Delay(10);
    }
    stop.Cancel();
    return ([.. times.Order()], $"poll_errors={failures} " + await creates);
}

async Task<string> Intake(CancellationToken stop)
{
    var latencies = new ConcurrentBag<double>();
    var errors = 0;
    var sent = new List<Task>();
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; !stop.IsCancellationRequested; i++)
    {
        var due = TimeSpan.FromSeconds((double)i / rate);
        var wait = due - Stopwatch.GetElapsedTime(start);
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, CancellationToken.None);
        sent.Add(Task.Run(async () =>
        {
            var body = $$"""{"user_ids": ["summary-bench-{{Guid.NewGuid():N}}"], "requested_by": "bench"}""";
            try
            {
                using var response = await http.PostAsync("/api/v1/erasure-requests", new StringContent(body, Encoding.UTF8, "application/json"));
                if (response.StatusCode != HttpStatusCode.Created) Interlocked.Increment(ref errors);
            }
            catch (Exception)
            {
                Interlocked.Increment(ref errors);
            }
            // From the due time: a create that waited for the sender still counts its wait (no coordinated omission).
            latencies.Add((Stopwatch.GetElapsedTime(start) - due).TotalMilliseconds);
        }));
    }
    await Task.WhenAll(sent);
    var sorted = latencies.Order().ToArray();
    return FormattableString.Invariant($"creates={sorted.Length} create_errors={errors} create_p50_ms={P(sorted, 0.5):F1} create_p99_ms={P(sorted, 0.99):F1}");
}

static async Task Poll(HttpClient http)
{
    using var response = await http.GetAsync("/api/v1/dashboard/summary");
    response.EnsureSuccessStatusCode();
    await response.Content.ReadAsByteArrayAsync();
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

static double P(double[] t, double q) => t.Length == 0 ? double.NaN : t[Math.Min(t.Length - 1, Math.Max(0, (int)Math.Ceiling(q * t.Length) - 1))];

static void Row(string name, double[] t) =>
    Console.WriteLine(FormattableString.Invariant($"| {name,-36} | {t.Length,5} | {P(t, 0.5),9:F2} | {P(t, 0.99),9:F2} |"));

static void Result(string name, double[] t, string intake) =>
    Console.WriteLine(FormattableString.Invariant($"RESULT {name} n={t.Length} p50_ms={P(t, 0.5):F2} p99_ms={P(t, 0.99):F2} {intake}"));
