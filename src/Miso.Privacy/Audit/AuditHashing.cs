using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Miso.Privacy.Audit;

/// <summary>
/// hash = SHA-256(prev_hash || canonical JSON array of the event's fields). Details are canonicalised
/// (keys sorted, no whitespace) because jsonb reorders keys; times are cut to microseconds because
/// that is what PostgreSQL keeps. Both sides of verification go through this one encoder.
/// </summary>
public static class AuditHashing
{
    public static readonly byte[] Genesis = new byte[32];

    public static DateTimeOffset ToStoredPrecision(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % 10, TimeSpan.Zero);

    public static byte[] Compute(byte[] prevHash, long seq, DateTimeOffset occurredAt, string actor, string action,
        Guid? requestId, byte[]? subjectHash, string canonicalDetails)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(prevHash);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(seq);
            writer.WriteStringValue(occurredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"));
            writer.WriteStringValue(actor);
            writer.WriteStringValue(action);
            writer.WriteStringValue(requestId?.ToString("D") ?? "");
            writer.WriteStringValue(subjectHash is null ? "" : Convert.ToHexStringLower(subjectHash));
            using (var details = JsonDocument.Parse(canonicalDetails))
                WriteCanonical(writer, details.RootElement);
            writer.WriteEndArray();
        }
        return SHA256.HashData(buffer.WrittenSpan);
    }

    static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    WriteCanonical(writer, item);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
