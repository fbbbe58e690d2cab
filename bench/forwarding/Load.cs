using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ForwardingBench;

/// <summary>
/// A few concurrent senders posting prepared uploads for a bounded time; one record in ten names a suppressed
/// user (bench-user-N, whose HMACs run.sh seeded). The same bodies go every way.
/// </summary>
static class Load
{
    const string Key = "emu-production-secret-key";
    const int Senders = 4;
    const int BodiesPerSize = 16;
    const int SuppressedUsers = 1_000_000;
    const int Rounds = 5;
    // Long enough for tiered compilation to finish in every path: the first rounds after 3 s still ran slower.
    static readonly TimeSpan Warmup = TimeSpan.FromSeconds(8);

    public const string RecommendationCase = "recommendation";
    const string RecommendationPath = "v1/recommendation/user_to_products";

    public static readonly string[] AllCases = ["100", "10000", RecommendationCase];

    public static async Task<int> RunAsync(Uri emulator, Uri proxy, Uri forwarder, TimeSpan duration, string[] cases)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = Senders * 2 })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
        Console.WriteLine($"| batch | straight to emulator | pass-through proxy | forwarder, 1M suppressed | forwarder ÷ pass-through | per round | dropped by forwarder |");
        Console.WriteLine($"|------:|---------------------:|-------------------:|-------------------------:|-------------------------:|:----------|---------------------:|");
        foreach (var batch in cases.Where(c => c != RecommendationCase).Select(c => int.Parse(c, CultureInfo.InvariantCulture)))
        {
            var bodies = Enumerable.Range(0, BodiesPerSize).Select(seed => Body(batch, seed)).ToArray();
            foreach (var target in new[] { emulator, proxy, forwarder })
                await SendForAsync(http, target, bodies, Warmup);
            // Interleaved rounds, medians reported: one slow stretch on a shared machine lands in one cell of one
            // round instead of deciding the ratio.
            var rounds = new List<(Result Direct, Result PassThrough, Result Filtered)>();
            for (var round = 0; round < Rounds; round++)
                rounds.Add((await MeasureAsync(http, emulator, emulator, bodies, batch, duration),
                            await MeasureAsync(http, proxy, emulator, bodies, batch, duration),
                            await MeasureAsync(http, forwarder, emulator, bodies, batch, duration)));
            var direct = Median(rounds.Select(r => r.Direct.RecordsPerSecond));
            var passThrough = Median(rounds.Select(r => r.PassThrough.RecordsPerSecond));
            var filtered = Median(rounds.Select(r => r.Filtered.RecordsPerSecond));
            var perRound = string.Join(" ", rounds.Select(r => (r.Filtered.RecordsPerSecond / r.PassThrough.RecordsPerSecond).ToString("F2", CultureInfo.InvariantCulture)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {batch,5:N0} | {direct,15:N0} rec/s | {passThrough,13:N0} rec/s | {filtered,19:N0} rec/s | {filtered / passThrough,24:F2} | {perRound} | {rounds[^1].Filtered.DroppedShare,19:P1} |"));
        }
        if (cases.Contains(RecommendationCase))
            await RecommendationsAsync(http, emulator, proxy, forwarder, duration);
        return 0;
    }

    /// <summary>
    /// Engine calls: <c>POST /v1/recommendation/user_to_products</c>, each naming one user, one in ten of them
    /// suppressed (the forwarder reads every body and strips those ids; the proxy reads nothing).
    /// </summary>
    static async Task RecommendationsAsync(HttpClient http, Uri emulator, Uri proxy, Uri forwarder, TimeSpan duration)
    {
        const string path = RecommendationPath;
        var bodies = RecommendationBodies();
        foreach (var target in new[] { emulator, proxy, forwarder })
            await SendForAsync(http, target, bodies, Warmup, path);
        var rounds = new List<(double Direct, double PassThrough, double Filtered)>();
        for (var round = 0; round < Rounds; round++)
        {
            var direct = await CallsPerSecondAsync(http, emulator, emulator, bodies, duration, path);
            var passThrough = await CallsPerSecondAsync(http, proxy, emulator, bodies, duration, path);
            rounds.Add((direct, passThrough, await CallsPerSecondAsync(http, forwarder, emulator, bodies, duration, path)));
        }
        var (d, p, f) = (Median(rounds.Select(r => r.Direct)), Median(rounds.Select(r => r.PassThrough)), Median(rounds.Select(r => r.Filtered)));
        var perRound = string.Join(" ", rounds.Select(r => (r.Filtered / r.PassThrough).ToString("F2", CultureInfo.InvariantCulture)));
        Console.WriteLine();
        Console.WriteLine("| call | straight to emulator | pass-through proxy | forwarder, 1M suppressed | forwarder ÷ pass-through | per round |");
        Console.WriteLine("|:-----|---------------------:|-------------------:|-------------------------:|-------------------------:|:----------|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| recommendation/user_to_products | {d,12:N0} calls/s | {p,10:N0} calls/s | {f,16:N0} calls/s | {f / p,24:F2} | {perRound} |"));
    }

    static async Task<double> CallsPerSecondAsync(HttpClient http, Uri target, Uri emulator, byte[][] bodies, TimeSpan duration, string path)
    {
        await ResetAsync(http, emulator);
        var (requests, _, elapsed) = await SendForAsync(http, target, bodies, duration, path);
        return requests / elapsed.TotalSeconds;
    }

    static byte[][] RecommendationBodies() => Enumerable.Range(0, BodiesPerSize * 64).Select(Recommendation).ToArray();

    static byte[] Recommendation(int seed)
    {
        var random = new Random(seed);
        var user = random.Next(10) == 0 ? $"bench-user-{random.Next(1, SuppressedUsers + 1)}" : $"live-user-{random.Next(1, 5_000_000)}";
        return Encoding.UTF8.GetBytes($$"""{"user_id":"{{user}}","anonymous_id":"anon-{{seed}}","rows":5,"fl":["title"]}""");
    }

    /// <summary>
    /// One path with one case for a fixed time, no warm-up of its own (the caller runs it twice to warm up): prints the
    /// calls made, so that a profiler's CPU time can be divided by them.
    /// </summary>
    public static async Task<int> SendOneAsync(Uri target, Uri emulator, string batchOrCase, TimeSpan duration)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = Senders * 2 });
        var recommendation = batchOrCase == RecommendationCase;
        var batch = recommendation ? 1 : int.Parse(batchOrCase, CultureInfo.InvariantCulture);
        var bodies = recommendation ? RecommendationBodies() : Enumerable.Range(0, BodiesPerSize).Select(seed => Body(batch, seed)).ToArray();
        await ResetAsync(http, emulator);
        var (requests, _, elapsed) = await SendForAsync(http, target, bodies, duration, recommendation ? RecommendationPath : "v1/interactions");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"calls={requests} seconds={elapsed.TotalSeconds:F2} calls_per_s={requests / elapsed.TotalSeconds:F0} records_per_s={requests * (double)batch / elapsed.TotalSeconds:F0}"));
        return 0;
    }

    sealed record Result(double RecordsPerSecond, double DroppedShare);

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    static async Task<Result> MeasureAsync(HttpClient http, Uri target, Uri emulator, byte[][] bodies, int batch, TimeSpan duration)
    {
        await ResetAsync(http, emulator);
        var (requests, dropped, elapsed) = await SendForAsync(http, target, bodies, duration);
        return new Result(requests * (double)batch / elapsed.TotalSeconds, dropped / (requests * (double)batch));
    }

    static async Task<(long Requests, long Dropped, TimeSpan Elapsed)> SendForAsync(HttpClient http, Uri target, byte[][] bodies, TimeSpan duration,
        string path = "v1/interactions")
    {
        var requests = 0L;
        var dropped = 0L;
        var clock = Stopwatch.StartNew();
        var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            for (var i = sender; clock.Elapsed < duration; i += Senders)
            {
                using var content = new ByteArrayContent(bodies[i % bodies.Length]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(target, path)) { Content = content };
                request.Headers.Add("X-API-KEY", Key);
                using var response = await http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"{target} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                if (response.Headers.TryGetValues("X-Miso-Privacy-Dropped", out var values))
                    Interlocked.Add(ref dropped, long.Parse(values.First(), CultureInfo.InvariantCulture));
                Interlocked.Increment(ref requests);
            }
        })).ToArray();
        await Task.WhenAll(senders);
        return (requests, dropped, clock.Elapsed);
    }

    /// <summary>Keeps the emulator's memory (it stores what it accepts) the same for every run.</summary>
    static async Task ResetAsync(HttpClient http, Uri emulator) =>
        (await http.PostAsync(new Uri(emulator, "_emulator/reset"), null)).EnsureSuccessStatusCode();

    static byte[] Body(int batch, int seed)
    {
        var random = new Random(seed);
        var body = new StringBuilder("{\"data\": [");
        for (var i = 0; i < batch; i++)
        {
            if (i > 0) body.Append(',');
            var user = random.Next(10) == 0
                ? $"bench-user-{random.Next(1, SuppressedUsers + 1)}"
                : $"live-user-{random.Next(1, 5_000_000)}";
            body.Append(CultureInfo.InvariantCulture,
                $$"""{"type":"product_detail_page_view","product_ids":["SKU-{{random.Next(100_000)}}"],"user_id":"{{user}}","timestamp":"2026-01-24T14:15:22Z"}""");
        }
        return Encoding.UTF8.GetBytes(body.Append("]}").ToString());
    }
}
