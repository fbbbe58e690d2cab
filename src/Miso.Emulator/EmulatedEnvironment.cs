using System.Text.Json.Serialization;

namespace Miso.Emulator;

public sealed record EmulatedEnvironment(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("secret_key")] string SecretKey,
    [property: JsonPropertyName("publishable_key")] string PublishableKey);
