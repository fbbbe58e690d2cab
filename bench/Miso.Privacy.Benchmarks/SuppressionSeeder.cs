using Microsoft.Extensions.Options;
using Miso.Privacy.Subjects;
using Npgsql;
using NpgsqlTypes;

namespace Miso.Privacy.Benchmarks;

/// <summary>
/// Writes N active suppressions for the user ids bench-user-1..N in one environment, with the HMACs and lookup keys
/// the service computes under the given key, as one version, by binary COPY. For the forwarding benchmark's 1,000,000.
/// </summary>
static class SuppressionSeeder
{
    public static async Task RunAsync(string connectionString, string hashKey, int count, string environment)
    {
        var hasher = new SubjectHasher(Options.Create(new SubjectHashingOptions { SubjectHashKey = hashKey }));
        // No time limit: on a busy machine completing the COPY of a million rows took longer than the default 30 s.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var bump = new NpgsqlCommand("UPDATE privacy.suppression_state SET version = version + 1 WHERE id = 1 RETURNING version", connection, transaction))
        {
            var version = (long)(await bump.ExecuteScalarAsync())!;
            await using var writer = await connection.BeginBinaryImportAsync(
                "COPY privacy.suppressions (kind, hash, lookup_key, created_at, version, environment) FROM STDIN (FORMAT BINARY)");
            writer.Timeout = TimeSpan.FromMinutes(10);
            var now = DateTimeOffset.UtcNow;
            for (var i = 1; i <= count; i++)
            {
                var user = $"bench-user-{i}";
                await writer.StartRowAsync();
                await writer.WriteAsync("user_id", NpgsqlDbType.Text);
                await writer.WriteAsync(hasher.Hash(SubjectKind.UserId, user), NpgsqlDbType.Bytea);
                await writer.WriteAsync(unchecked((long)hasher.LookupKey(SubjectKind.UserId, user)), NpgsqlDbType.Bigint);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(version, NpgsqlDbType.Bigint);
                await writer.WriteAsync(environment, NpgsqlDbType.Varchar);
            }
            await writer.CompleteAsync();
        }
        await transaction.CommitAsync();
    }
}
