using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Miso.Emulator.Environments;

namespace Miso.Emulator.Engine;

/// <summary>
/// Miso's rule for publishable keys: a request that names a <c>user_id</c> proves it with <c>user_hash</c>, the hex
/// HMAC-SHA256 of the id under the environment's secret key (any case). A <c>user_hash</c> without a
/// <c>user_id</c> must match the <c>anonymous_id</c>. Anonymous requests need none.
/// </summary>
static class UserHash
{
    public const string Missing = "user_hash is required with user_id when using a publishable API key.";
    public const string Invalid = "user_hash is invalid.";

    public static string? Refusal(EnvironmentState environment, JsonElement body)
    {
        var userId = Text(body, "user_id");
        var hash = Text(body, "user_hash");
        if (hash is null)
            return userId is null ? null : Missing;
        var subject = userId ?? Text(body, "anonymous_id");
        return subject is not null && hash.Equals(Of(environment.Definition.SecretKey, subject), StringComparison.OrdinalIgnoreCase)
            ? null
            : Invalid;
    }

    public static string Of(string secretKey, string id) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(id)));

    static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
