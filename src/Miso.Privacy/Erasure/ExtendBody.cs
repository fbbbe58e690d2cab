using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Erasure;

/// <summary>An extension's evidence: why, and when the person was told (both required, both audited).</summary>
public sealed record ExtendBody(string? Reason, DateTimeOffset? NotifiedAt)
{
    public static readonly IReadOnlyDictionary<string, string> Expectations = new Dictionary<string, string>
    {
        ["reason"] = "a string",
        ["notified_at"] = "an ISO-8601 date-time, like 2026-11-28T09:30:00Z",
    };

    public Dictionary<string, string[]>? Validate(DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(Reason))
            errors["reason"] = ["Required: say why the request needs longer (the person is told this reason)."];
        else if (Reason.Length > 2000)
            errors["reason"] = ["At most 2000 characters."];
        else if (!TextRules.IsStorable(Reason))
            errors["reason"] = ["Contains a NUL character or invalid UTF-16."];
        if (NotifiedAt is null)
            errors["notified_at"] = ["Required: when the person was told of the extension and its reasons."];
        else if (NotifiedAt > now)
            errors["notified_at"] = ["Must not be in the future: it is when the person was told."];
        return errors.Count > 0 ? errors : null;
    }
}
