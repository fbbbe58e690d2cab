using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Miso.Privacy.Infrastructure.Json;

namespace Miso.Privacy.OpenDsr;

/// <summary>OpenDSR's JSON: snake_case like the rest of the API, optional fields left out, times in RFC 3339 UTC ("…Z").</summary>
public static class OpenDsrJson
{
    public const string ApiVersion = "2.0";

    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(ApiJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        options.Converters.Add(new Rfc3339());
        return options;
    }

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    sealed class Rfc3339 : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(Time(value));
    }
}
