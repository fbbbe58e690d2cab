using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Miso.Privacy.Cli;

/// <summary>The JSON the client sends (the API's snake_case, absent fields left out) and the JSON it prints.</summary>
static class CliJson
{
    public static readonly JsonSerializerOptions Body = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    static readonly JsonSerializerOptions Printed = new(Body)
    {
        WriteIndented = true,
        // Printed for people and scripts, not embedded in HTML: '+' and quotes stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Write(TextWriter output, JsonElement value) => output.WriteLine(JsonSerializer.Serialize(value, Printed));

    public static void Write<T>(TextWriter output, T value) => output.WriteLine(JsonSerializer.Serialize(value, Printed));
}
