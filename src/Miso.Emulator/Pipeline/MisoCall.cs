using Miso.Emulator.Environments;

namespace Miso.Emulator.Pipeline;

/// <summary>What the pipeline learnt about one call to a Miso route, shared with its handler.</summary>
sealed class MisoCall(EnvironmentState environment, bool isSecret, byte[] body)
{
    public EnvironmentState Environment { get; } = environment;
    public bool IsSecret { get; } = isSecret;
    public byte[] Body { get; } = body;
}

sealed class SecretKeyOnly
{
    public static readonly SecretKeyOnly Instance = new();
}

/// <summary>A route that words its 401 differently from Miso's usual <c>invalid api key.</c></summary>
sealed record InvalidKeyMessage(string Message);

static class MisoCallExtensions
{
    public static MisoCall MisoCall(this HttpContext context) => context.Features.Get<MisoCall>() ?? throw new InvalidOperationException("Not a Miso API call.");

    public static RouteHandlerBuilder RequireSecretKey(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(SecretKeyOnly.Instance);
}
