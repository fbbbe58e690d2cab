using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Sweeps;

/// <summary>A restore replay: which completions to sweep again (those after a time), and why (audited).</summary>
public sealed record ReplayBody(DateTimeOffset? CompletedAfter, string? Reason)
{
    public static readonly IReadOnlyDictionary<string, string> Expectations = new Dictionary<string, string>
    {
        ["completed_after"] = "an ISO-8601 date-time with an offset, like 2026-11-01T00:00:00Z",
        ["reason"] = "a string",
    };

    public Dictionary<string, string[]>? Validate(DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (CompletedAfter is null)
            errors["completed_after"] = ["Required: requests completed after this time are swept again (say, the time of the backup Miso restored)."];
        else if (CompletedAfter > now)
            errors["completed_after"] = ["Must not be in the future."];
        if (string.IsNullOrWhiteSpace(Reason))
            errors["reason"] = ["Required: say why (a restore at Miso, a replayed import…); it is kept in the audit trail."];
        else if (Reason.Length > 2000)
            errors["reason"] = ["At most 2000 characters."];
        else if (!TextRules.IsStorable(Reason))
            errors["reason"] = ["Contains a NUL character or invalid UTF-16."];
        return errors.Count > 0 ? errors : null;
    }
}
