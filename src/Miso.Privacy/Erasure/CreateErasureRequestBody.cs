using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Erasure;

public sealed record CreateErasureRequestBody(
    List<string?>? UserIds,
    List<string?>? AnonymousIds,
    string? Regulation,
    string? RequestedBy,
    string? Reason,
    string? Ticket,
    DateTimeOffset? SubmittedAt)
{
    public static readonly IReadOnlyDictionary<string, string> Expectations = new Dictionary<string, string>
    {
        ["user_ids"] = "an array of strings",
        ["anonymous_ids"] = "an array of strings",
        ["regulation"] = $"one of {SnakeCaseEnumConverter<Regulation>.Choices}",
        ["requested_by"] = "a string",
        ["reason"] = "a string",
        ["ticket"] = "a string",
        ["submitted_at"] = "an ISO-8601 date-time, like 2026-11-28T09:30:00Z",
    };
}

/// <summary>A validated body: ids deduplicated in first-seen order, defaults applied.</summary>
public sealed record NewErasureRequest(
    IReadOnlyList<string> UserIds,
    IReadOnlyList<string> AnonymousIds,
    Regulation Regulation,
    string RequestedBy,
    string? Reason,
    string? Ticket,
    DateTimeOffset? SubmittedAt);
