// Open-loop intake client: fires single-subject erasure requests at a fixed rate (a request's latency is measured
// from when it was due, so a slow server cannot slow the schedule down and hide its queueing), then prints
// p50/p99/max and a RESULT line. `closed` mode (N clients back to back) is the fallback when wrk is missing.
//
//   IntakeBench open   --url URL --key KEY [--rate 100] [--seconds 20] [--max 2000]
//   IntakeBench closed --url URL --key KEY [--clients 16] [--seconds 20]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

var mode = args.Length > 0 ? args[0] : throw new ArgumentException("open or closed");
var options = new Dictionary<string, string>();
for (var i = 1; i + 1 < args.Length; i += 2)
    options[args[i].TrimStart('-')] = args[i + 1];
string Opt(string name, string? fallback = null) =>
    options.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required");
var url = Opt("url").TrimEnd('/') + "/api/v1/erasure-requests";
var key = Opt("key");
var seconds = double.Parse(Opt("seconds", "20"), CultureInfo.InvariantCulture);
var tag = Guid.NewGuid().ToString("N")[..8];

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    { Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
var counter = 0L;
var errors = 0L;
var tooMany = 0L;

async Task<bool> SendAsync()
{
    var n = Interlocked.Increment(ref counter);
    var body = $$"""{"user_ids":["intake-{{tag}}-{{n}}"],"regulation":"gdpr","requested_by":"bench:intake"}""";
    try
    {
        using var response = await http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));
        await response.Content.CopyToAsync(Stream.Null);
        if ((int)response.StatusCode == 201)
            return true;
        if ((int)response.StatusCode == 429)
            Interlocked.Increment(ref tooMany);
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
    Interlocked.Increment(ref errors);
    return false;
}

// Warm up connections and the service's first-call paths; not measured.
await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SendAsync()));
counter = 0; errors = 0; tooMany = 0;

var clock = Stopwatch.StartNew();
if (mode == "open")
{
    var rate = double.Parse(Opt("rate", "100"), CultureInfo.InvariantCulture);
    var total = (int)Math.Min(rate * seconds, double.Parse(Opt("max", "2000"), CultureInfo.InvariantCulture));
    var latencies = new double[total];
    var tasks = new Task[total];
    for (var i = 0; i < total; i++)
    {
        var due = TimeSpan.FromSeconds(i / rate);
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.FromMilliseconds(1))
            await Task.Delay(wait);
        while (clock.Elapsed < due) Thread.SpinWait(50);
        var index = i;
        tasks[i] = Task.Run(async () =>
        {
            var ok = await SendAsync();
            latencies[index] = ok ? (clock.Elapsed - due).TotalMilliseconds : double.NaN;
        });
    }
    var sent = clock.Elapsed;
    await Task.WhenAll(tasks);
    var ms = latencies.Where(l => !double.IsNaN(l)).Order().ToArray();
    var achieved = total / sent.TotalSeconds;
    Console.Error.WriteLine($"open loop: {total} requests at {rate}/s over {sent.TotalSeconds:F1} s, {errors} errors");
    // Where in the phase the slow answers fell: p50, p99 and max of each second's requests, by due time.
    var perSecond = latencies.Select((l, i) => (Second: (int)(i / rate), Ms: l)).Where(x => !double.IsNaN(x.Ms)).GroupBy(x => x.Second);
    foreach (var second in perSecond)
    {
        var sorted = second.Select(x => x.Ms).Order().ToArray();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  second {second.Key,3}: p50 {P(sorted, 50),7:F1} ms, p99 {P(sorted, 99),7:F1} ms, max {sorted[^1],7:F1} ms"));
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"RESULT intake.open rate={rate} requests={total} errors={errors} rejected_429={tooMany} offered_per_s={achieved:F1} p50_ms={P(ms, 50):F1} p99_ms={P(ms, 99):F1} max_ms={(ms.Length > 0 ? ms[^1] : 0):F1}"));
}
else
{
    var clients = int.Parse(Opt("clients", "16"));
    var until = TimeSpan.FromSeconds(seconds);
    var ok = 0L;
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        while (clock.Elapsed < until)
            if (await SendAsync()) Interlocked.Increment(ref ok);
    }));
    var elapsed = clock.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"RESULT intake.closed tool=dotnet clients={clients} seconds={elapsed:F1} requests={ok} errors={errors} rejected_429={tooMany} requests_per_s={ok / elapsed:F1}"));
}

static double P(double[] sorted, double p) =>
    sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
