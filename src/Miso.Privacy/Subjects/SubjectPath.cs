using Microsoft.AspNetCore.Http.HttpResults;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Erasure;

/// <summary>The <c>{kind}/{value}</c> part of subject routes.</summary>
public static class SubjectPath
{
    public static (SubjectKind? Kind, string? Value, string? Error) Parse(string kind, string value)
    {
        SubjectKind? parsed = kind switch { "user_id" => SubjectKind.UserId, "anonymous_id" => SubjectKind.AnonymousId, _ => null };
        if (parsed is null)
            return (null, null, "kind");
        // Kestrel leaves an encoded slash encoded in a catch-all segment.
        value = value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var max = parsed == SubjectKind.UserId ? ErasureRequestValidation.MaxUserIdLength : ErasureRequestValidation.MaxAnonymousIdLength;
        if (string.IsNullOrWhiteSpace(value) || value.Length > max || !TextRules.IsStorable(value))
            return (parsed, null, "value");
        return (parsed, value, null);
    }

    public static ProblemHttpResult Problem(string kind, string value) => Parse(kind, value).Error == "kind"
        ? Problems.Field("kind", "Must be user_id or anonymous_id.")
        : Problems.Field("value", "Must be a non-empty identifier within Miso's length limits.");
}
