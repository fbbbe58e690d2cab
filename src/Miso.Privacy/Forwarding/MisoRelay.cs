using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Miso.Privacy.Forwarding;

/// <summary>Miso's answer to a forwarded upload, passed on as it came (positions aside, see <see cref="Remap"/>).</summary>
public sealed class MisoRelay(int statusCode, string contentType, byte[] body, TimeSpan? retryAfter) : IResult, IStatusCodeHttpResult
{
    static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public int? StatusCode => statusCode;

    public byte[] Body => body;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (retryAfter is { } after)
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await response.Body.WriteAsync(body, httpContext.RequestAborted);
    }

    /// <summary>
    /// Rewrites the <c>data.N</c> positions in every string of Miso's JSON answer to the caller's positions. A body
    /// that is not JSON is passed on unchanged.
    /// </summary>
    public static byte[] Remap(byte[] misoBody, UploadFilterResult result)
    {
        if (result.NothingDropped) return misoBody;
        try
        {
            var output = new ArrayBufferWriter<byte>(misoBody.Length + 16);
            using (var writer = new Utf8JsonWriter(output, WriterOptions))
            {
                var reader = new Utf8JsonReader(misoBody);
                while (reader.Read()) Copy(ref reader, writer, result);
            }
            return output.WrittenSpan.ToArray();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return misoBody;
        }
    }

    static void Copy(ref Utf8JsonReader reader, Utf8JsonWriter writer, UploadFilterResult result)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject: writer.WriteStartObject(); break;
            case JsonTokenType.EndObject: writer.WriteEndObject(); break;
            case JsonTokenType.StartArray: writer.WriteStartArray(); break;
            case JsonTokenType.EndArray: writer.WriteEndArray(); break;
            case JsonTokenType.PropertyName: writer.WritePropertyName(reader.GetString()!); break;
            case JsonTokenType.String: writer.WriteStringValue(UploadFilter.RemapPositions(reader.GetString()!, result)); break;
            case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
            case JsonTokenType.True: writer.WriteBooleanValue(true); break;
            case JsonTokenType.False: writer.WriteBooleanValue(false); break;
            case JsonTokenType.Null: writer.WriteNullValue(); break;
        }
    }
}
