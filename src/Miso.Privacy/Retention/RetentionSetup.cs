using Microsoft.Extensions.Options;

namespace Miso.Privacy.Retention;

public static class RetentionSetup
{
    /// <summary>The envelope that keeps completed requests' identifiers for their sweeps; its key is checked at start.</summary>
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new RetentionEnvelope(Convert.FromBase64String(sp.GetRequiredService<IOptions<RetentionOptions>>().Value.RetentionKey)));
        return services;
    }
}
