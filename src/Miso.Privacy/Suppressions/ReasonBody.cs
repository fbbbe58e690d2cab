using Miso.Privacy.Infrastructure.Database;
namespace Miso.Privacy.Suppressions;

/// <summary>The body of operations that undo protection (cancel, lift): the reason is required and audited.</summary>
public sealed record ReasonBody(string? Reason)
{
    public static readonly IReadOnlyDictionary<string, string> Expectations =
        new Dictionary<string, string> { ["reason"] = "a string" };

    public Dictionary<string, string[]>? Validate()
    {
        if (string.IsNullOrWhiteSpace(Reason))
            return new() { ["reason"] = ["Required: say why."] };
        if (Reason.Length > 2000)
            return new() { ["reason"] = ["At most 2000 characters."] };
        if (!TextRules.IsStorable(Reason))
            return new() { ["reason"] = ["Contains a NUL character or invalid UTF-16."] };
        return null;
    }
}
