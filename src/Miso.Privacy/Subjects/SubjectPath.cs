using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Subjects;

/// <summary>The <c>{kind}/{value}</c> part of subject routes.</summary>
public static class SubjectPath
{
    public static (SubjectKind? Kind, string? Value, string? Error) Parse(string kind, string value)
    {
        if (!SnakeCaseEnumConverter<SubjectKind>.TryFromText(kind, out var parsed))
            return (null, null, "kind");
        // Kestrel leaves an encoded slash encoded in a catch-all segment.
        value = value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(value) || value.Length > SubjectLimits.MaxLength(parsed) || !TextRules.IsStorable(value))
            return (parsed, null, "value");
        return (parsed, value, null);
    }

    public static ProblemHttpResult Problem(string kind, string value) => Parse(kind, value).Error == "kind"
        ? Problems.Field("kind", "Must be user_id or anonymous_id.")
        : Problems.Field("value", "Must be a non-empty identifier within Miso's length limits.");
}
