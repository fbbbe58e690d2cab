namespace Miso.Privacy.Suppressions;

/// <summary>A lift: why (required, audited), and where (optional: every environment the subject is suppressed in).</summary>
public sealed record LiftBody(string? Reason, List<string?>? Environments)
{
    public static readonly IReadOnlyDictionary<string, string> Expectations =
        new Dictionary<string, string> { ["reason"] = "a string", ["environments"] = "an array of Miso environment names" };
}
