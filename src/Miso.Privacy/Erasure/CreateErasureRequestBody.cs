using System.Text.Json.Serialization;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Erasure;

public sealed record CreateErasureRequestBody(
    List<string?>? UserIds,
    List<string?>? AnonymousIds,
    string? Regulation,
    string? RequestedBy,
    string? Reason,
    string? Ticket,
    DateTimeOffset? SubmittedAt,
    List<string?>? Environments = null)
{
    /// <summary>erase (the default), suppress or delete.</summary>
    public string? Type { get; init; }

    /// <summary>Where this request's status events also go, signed with the filing key's callback secret.</summary>
    public string? CallbackUrl { get; init; }

    public static readonly IReadOnlyDictionary<string, string> Expectations = new Dictionary<string, string>
    {
        ["user_ids"] = "an array of strings",
        ["anonymous_ids"] = "an array of strings",
        ["regulation"] = $"one of {SnakeCaseEnumConverter<Regulation>.Choices}",
        ["requested_by"] = "a string",
        ["reason"] = "a string",
        ["ticket"] = "a string",
        ["submitted_at"] = "an ISO-8601 date-time, like 2026-11-28T09:30:00Z",
        ["type"] = $"one of {SnakeCaseEnumConverter<RequestType>.Choices}",
        ["callback_url"] = "an absolute http or https URL",
        ["environments"] = "an array of Miso environment names",
    };
}

/// <summary>
/// A validated body: ids deduplicated in first-seen order, defaults applied. <see cref="Environments"/> is null when
/// the body named none (every configured environment); left out of the fingerprint then, so a body without it
/// fingerprints as it did before environments could be named, and old idempotency keys still replay.
/// </summary>
public sealed record NewErasureRequest(
    IReadOnlyList<string> UserIds,
    IReadOnlyList<string> AnonymousIds,
    Regulation Regulation,
    string RequestedBy,
    string? Reason,
    string? Ticket,
    DateTimeOffset? SubmittedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Environments = null)
{
    /// <summary>
    /// Part of the idempotency fingerprint only when it is not the default, so that a request filed before
    /// types existed still replays under its key with the same body.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public RequestType Type { get; init; }

    /// <summary>In the fingerprint only when given, for the same reason as <see cref="Type"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CallbackUrl { get; init; }
}
