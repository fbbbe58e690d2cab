using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Miso.Emulator.Inspection;

/// <summary>One call to a Miso route; <see cref="Environment"/> is null when the key was unknown.</summary>
/// <param name="UserIds">Every <c>user_id</c> the call named: in its body (anywhere, <c>user_ids</c> lists included), its route or its query.</param>
/// <param name="AnonymousIds">Every <c>anonymous_id</c> the call named, anywhere in its body.</param>
/// <param name="UserHashes">Every <c>user_hash</c> the call carried, anywhere in its body.</param>
public sealed record EmulatorCall(
    [property: JsonPropertyName("environment")] string? Environment,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("time"), JsonConverter(typeof(UtcTimeConverter))] DateTimeOffset Time,
    [property: JsonPropertyName("body_size")] long BodySize,
    [property: JsonPropertyName("user_ids")] IReadOnlyList<string> UserIds,
    [property: JsonPropertyName("anonymous_ids")] IReadOnlyList<string> AnonymousIds,
    [property: JsonPropertyName("user_hashes")] IReadOnlyList<string> UserHashes)
{
    /// <summary>Whether the call named this id as a <c>user_id</c> or an <c>anonymous_id</c>.</summary>
    public bool Names(string id) => UserIds.Contains(id) || AnonymousIds.Contains(id);
}

/// <summary>Always writes UTC with seven fractional digits, so scripts can rely on one format.</summary>
sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
}
