// Drain benchmark client: files erasure requests through the API with a few concurrent senders, then polls
// until every one is completed (or a time box ends), and prints what it saw as RESULT lines.
//
//   DrainBench --url http://127.0.0.1:P --key KEY --emulator http://127.0.0.1:E --connection "Host=..." --label batched
//              [--requests 100] [--ids-per-request 1000] [--senders 4] [--time-box 0 (none) | seconds after the create phase] [--timeout 240]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

var options = Args.Parse(args);
string Opt(string name, string? fallback = null) =>
    options.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required");
var url = Opt("url").TrimEnd('/');
var emulatorUrl = Opt("emulator").TrimEnd('/');
var key = Opt("key");
var connection = Opt("connection");
var label = Opt("label");
var requests = int.Parse(Opt("requests", "100"));
var idsPerRequest = int.Parse(Opt("ids-per-request", "1000"));
var senders = int.Parse(Opt("senders", "4"));
var timeBox = TimeSpan.FromSeconds(double.Parse(Opt("time-box", "0")));
var timeout = TimeSpan.FromSeconds(double.Parse(Opt("timeout", "240")));
var totalIds = requests * idsPerRequest;
var runTag = Guid.NewGuid().ToString("N")[..8];

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(60) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
await using var db = NpgsqlDataSource.Create(connection);

var environments = await http.GetFromJsonAsync<JsonElement[]>($"{emulatorUrl}/_emulator/environments")
    ?? throw new InvalidOperationException("no emulator environments");
var envNames = environments.Select(e => e.GetProperty("name").GetString()!).ToArray();
var callsBefore = await MisoCallsAsync();

// --- Create: `senders` tasks take request numbers from a shared counter.
var ids = new Guid[requests];
var next = -1;
var clock = Stopwatch.StartNew();
var firstCreate = DateTimeOffset.UtcNow;
var createLatencies = new double[requests];
await Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
{
    int n;
    while ((n = Interlocked.Increment(ref next)) < requests)
    {
        var body = new
        {
            user_ids = Enumerable.Range(0, idsPerRequest).Select(i => $"drain-{runTag}-{n:D4}-{i:D5}").ToArray(),
            regulation = "gdpr",
            requested_by = "bench:drain",
            ticket = $"DRAIN-{runTag}-{n}",
        };
        var started = clock.Elapsed;
        using var response = await http.PostAsJsonAsync($"{url}/api/v1/erasure-requests", body);
        if ((int)response.StatusCode != 201)
            throw new InvalidOperationException($"create {n}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        createLatencies[n] = (clock.Elapsed - started).TotalMilliseconds;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        ids[n] = json.RootElement.GetProperty("id").GetGuid();
    }
}));
var createdAfter = clock.Elapsed;
Console.Error.WriteLine($"[{label}] {requests} requests × {idsPerRequest} ids created in {createdAfter.TotalSeconds:F1} s " +
                        $"(p50 {Percentile(createLatencies, 50):F0} ms per create)");

// --- Poll every second until all completed, the time box (counted from the end of the create phase) ends, or the
// timeout. Ids done are read from the database only at the ends of the window and every 10 s, to keep the poll light.
var mine = ids.ToHashSet();
var completed = 0;
DateTimeOffset? lastCompletedAt = null;
var idsDoneAtCreateEnd = await IdsDoneAsync();
var idsDone = idsDoneAtCreateEnd;
var lastReport = clock.Elapsed;
var deadline = timeBox > TimeSpan.Zero ? createdAfter + timeBox : timeout;
while (true)
{
    (completed, lastCompletedAt) = await CompletedAsync();
    if (completed == requests || clock.Elapsed >= deadline)
        break;
    if (clock.Elapsed - lastReport >= TimeSpan.FromSeconds(10))
    {
        lastReport = clock.Elapsed;
        idsDone = await IdsDoneAsync();
        Console.Error.WriteLine($"[{label}] t={clock.Elapsed.TotalSeconds:F0}s requests completed {completed}/{requests}, ids done {idsDone}/{totalIds}");
    }
    await Task.Delay(TimeSpan.FromMilliseconds(1000));
}
idsDone = completed == requests ? totalIds : await IdsDoneAsync();
var elapsed = clock.Elapsed;
var calls = (await MisoCallsAsync()) - callsBefore;
var finished = completed == requests;
Console.Error.WriteLine($"[{label}] stopped at t={elapsed.TotalSeconds:F1}s: requests completed {completed}/{requests}, ids done {idsDone}/{totalIds}, Miso calls {calls}");

var r = new List<(string, string)>
{
    ("requests", requests.ToString()), ("ids", totalIds.ToString()), ("senders", senders.ToString()),
    ("create_s", F(createdAfter.TotalSeconds)), ("create_p50_ms", F(Percentile(createLatencies, 50))),
    ("completed_requests", completed.ToString()), ("ids_done", idsDone.ToString()), ("miso_calls", calls.ToString()),
    ("finished", finished ? "true" : "false"),
};
if (finished)
{
    // First create (client clock) → the last request's completed_at (server clock; same machine).
    var wall = (lastCompletedAt!.Value - firstCreate).TotalSeconds;
    r.Add(("wall_s", F(wall)));
    r.Add(("ids_per_s", F(totalIds / wall)));
    r.Add(("calls_per_100k_ids", F(calls * 100_000.0 / totalIds)));
}
else
{
    // Time-boxed: the rate in the window after the create phase (steady state), and the wall time it implies for
    // all ids: the create phase plus the ids left at its end at that rate.
    var steadySeconds = (elapsed - createdAfter).TotalSeconds;
    var steadyRate = steadySeconds > 0 ? (idsDone - idsDoneAtCreateEnd) / steadySeconds : 0;
    var overallRate = idsDone / elapsed.TotalSeconds;
    r.Add(("measured_s", F(elapsed.TotalSeconds)));
    r.Add(("window_s", F(steadySeconds)));
    r.Add(("ids_done_at_create_end", idsDoneAtCreateEnd.ToString()));
    r.Add(("ids_per_s", F(steadyRate)));
    r.Add(("ids_per_s_overall", F(overallRate)));
    r.Add(("projected_wall_s", steadyRate > 0 ? F(createdAfter.TotalSeconds + (totalIds - idsDoneAtCreateEnd) / steadyRate) : "inf"));
    r.Add(("calls_per_s", F(calls / elapsed.TotalSeconds)));
    r.Add(("projected_calls", (totalIds * 2L * envNames.Length).ToString()));
}
Console.WriteLine($"RESULT drain.{label} " + string.Join(' ', r.Select(p => $"{p.Item1}={p.Item2}")));

static string F(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

static double Percentile(double[] values, double p)
{
    var sorted = values.Where(v => v > 0).Order().ToArray();
    return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

async Task<long> MisoCallsAsync()
{
    long sum = 0;
    foreach (var env in envNames)
    {
        var stats = await http.GetFromJsonAsync<JsonElement>($"{emulatorUrl}/_emulator/stats?environment={env}");
        sum += stats.GetProperty("delete_calls").GetInt64() + stats.GetProperty("user_delete_calls").GetInt64();
    }
    return sum;
}

// Completed requests of this run and the latest completed_at, from the API (newest first, ≤ 500 per page).
async Task<(int Count, DateTimeOffset? Last)> CompletedAsync()
{
    var count = 0;
    DateTimeOffset? last = null;
    string? cursor = null;
    for (var page = 0; page < 20; page++)
    {
        var query = $"{url}/api/v1/erasure-requests?status=completed&limit=500" + (cursor is null ? "" : $"&cursor={cursor}");
        var json = await http.GetFromJsonAsync<JsonElement>(query);
        foreach (var item in json.GetProperty("items").EnumerateArray())
        {
            if (!mine.Contains(item.GetProperty("id").GetGuid()))
                continue;
            count++;
            var at = item.GetProperty("completed_at").GetDateTimeOffset();
            if (last is null || at > last)
                last = at;
        }
        cursor = json.GetProperty("next_cursor").ValueKind == JsonValueKind.String ? json.GetProperty("next_cursor").GetString() : null;
        if (cursor is null || count == requests)
            break;
    }
    return (count, last);
}

// User ids whose every work item (each environment × operation) is deleted: read from the service's database,
// because no API sums work items across requests and per-request detail pages are heavy at this size.
async Task<long> IdsDoneAsync()
{
    await using var command = db.CreateCommand("""
        SELECT count(*) FROM (
          SELECT subject_id FROM privacy.work_items WHERE request_id = ANY($1)
          GROUP BY subject_id HAVING count(*) FILTER (WHERE state = 'deleted') = $2) done
        """);
    command.Parameters.AddWithValue(ids);
    command.Parameters.AddWithValue((long)envNames.Length * 2);
    return (long)(await command.ExecuteScalarAsync())!;
}

static class Args
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var result = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
            result[args[i].TrimStart('-')] = args[i + 1];
        return result;
    }
}
