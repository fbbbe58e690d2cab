// The intake benchmark's baseline: the least an HTTP endpoint can do to accept a request durably on the same
// PostgreSQL. It takes the same POST the service takes (same path, same JSON body, a Bearer header it ignores),
// makes one INSERT per request through a pooled NpgsqlDataSource (as the service reaches PostgreSQL, with
// commit-time durability as the cluster is configured), and answers 201 with a Location. bench/intake/run.sh
// drives it with the same load generator in the same run, so intake ÷ baseline is measured on one machine state.
//
//   BASELINE_CONNECTION="Host=...;Database=..." ASPNETCORE_URLS=http://127.0.0.1:PORT dotnet IntakeBaseline.dll
using System.Text.Json;
using Npgsql;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var connectionString = Environment.GetEnvironmentVariable("BASELINE_CONNECTION")
    ?? throw new InvalidOperationException("BASELINE_CONNECTION is not set.");
await using var database = NpgsqlDataSource.Create(connectionString);
await using (var create = database.CreateCommand(
    "CREATE TABLE IF NOT EXISTS baseline_requests (id uuid PRIMARY KEY, received_at timestamptz NOT NULL, body jsonb NOT NULL)"))
    await create.ExecuteNonQueryAsync();

var app = builder.Build();
app.MapGet("/health/ready", () => Results.Ok());
app.MapPost("/api/v1/erasure-requests", async (HttpRequest http, CancellationToken ct) =>
{
    // Parsed, as the service parses it: a body that is not JSON is refused, not stored.
    using var body = await JsonDocument.ParseAsync(http.Body, cancellationToken: ct);
    var id = Guid.CreateVersion7();
    await using var insert = database.CreateCommand("INSERT INTO baseline_requests (id, received_at, body) VALUES ($1, now(), $2::jsonb)");
    insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
    insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = body.RootElement.GetRawText() });
    await insert.ExecuteNonQueryAsync(ct);
    return Results.Created($"/api/v1/erasure-requests/{id}", new { id });
});
app.Run();
