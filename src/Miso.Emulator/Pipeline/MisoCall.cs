using Miso.Emulator.Environments;

namespace Miso.Emulator.Pipeline;

/// <summary>What the pipeline learnt about one call to a Miso route, shared with its handler.</summary>
internal sealed class MisoCall(EnvironmentState environment, bool isSecret, byte[] body)
{
    public EnvironmentState Environment { get; } = environment;
    public bool IsSecret { get; } = isSecret;
    public byte[] Body { get; } = body;

    /// <summary>Set by a handler that already knows them; otherwise the call log extracts them leniently.</summary>
    public IReadOnlyList<string>? UserIds { get; set; }
}

internal sealed class SecretKeyOnly
{
    public static readonly SecretKeyOnly Instance = new();
}

internal static class MisoCallExtensions
{
    public static MisoCall MisoCall(this HttpContext context) => context.Features.Get<MisoCall>() ?? throw new InvalidOperationException("Not a Miso API call.");

    public static RouteHandlerBuilder RequireSecretKey(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(SecretKeyOnly.Instance);
}
