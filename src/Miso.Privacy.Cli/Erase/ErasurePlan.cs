using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Miso.Privacy.Cli.Erase;

/// <summary>What every request of one <c>erase</c> says besides its ids. Defaults are filled in before it is hashed.</summary>
sealed record ErasureOptions(
    string Kind, string Type, string Regulation, string RequestedBy, string? Reason, string? Ticket, DateTimeOffset? SubmittedAt,
    IReadOnlyList<string>? Environments)
{
    public string? SubmittedAtText => SubmittedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}

sealed record ErasureChunk(int Number, IReadOnlyList<string> Ids, string IdempotencyKey);

/// <summary>
/// Splits a sorted set of ids into requests the service accepts (at most <see cref="MaxSubjectsPerRequest"/>) and gives
/// each an Idempotency-Key derived from its ids and every option: the same command on the same ids replays the
/// requests it filed before instead of filing them again, and a changed option makes new ones.
/// </summary>
static class ErasurePlan
{
    public const int MaxSubjectsPerRequest = 10_000;
    const string KeyPrefix = "miso-privacy-cli-v1-";

    public static IReadOnlyList<ErasureChunk> Split(IReadOnlyList<string> sortedIds, ErasureOptions options) =>
        sortedIds.Chunk(MaxSubjectsPerRequest)
            .Select((ids, i) => new ErasureChunk(i + 1, ids, IdempotencyKey(ids, options)))
            .ToList();

    /// <summary>SHA-256 of the chunk and options as JSON (unambiguous whatever the ids hold), in hex: printable ASCII, 84 characters.</summary>
    public static string IdempotencyKey(IReadOnlyList<string> ids, ErasureOptions options)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new
        {
            options.Kind, options.Type, options.Regulation, options.RequestedBy, options.Reason, options.Ticket,
            SubmittedAt = options.SubmittedAtText, options.Environments, Ids = ids,
        }, CliJson.Body);
        return KeyPrefix + Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    public static object Body(ErasureChunk chunk, ErasureOptions options) => new
    {
        UserIds = options.Kind == "user_id" ? chunk.Ids : null,
        AnonymousIds = options.Kind == "anonymous_id" ? chunk.Ids : null,
        options.Type,
        options.Regulation,
        options.RequestedBy,
        options.Reason,
        options.Ticket,
        SubmittedAt = options.SubmittedAtText,
        options.Environments,
    };
}
