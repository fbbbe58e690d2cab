using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Miso.Privacy.Execution;
using Miso.Privacy.Infrastructure.Auth;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// Signed status webhooks (Standard Webhooks 1.0): the endpoints admins register, the per-key callback secrets, the outbox
/// written with every state change, and the dispatch that delivers it on Hangfire workers of its own.
/// </summary>
public static class WebhooksApi
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SecretBox>().AddSingleton<CallbackRules>();
        services.AddSingleton<StandardWebhooksFormat>().AddSingleton<ICallbackFormat>(sp => sp.GetRequiredService<StandardWebhooksFormat>());
        services.AddSingleton<StatusOutbox>().AddSingleton<IInterceptor>(sp => sp.GetRequiredService<StatusOutbox>());
        services.AddScoped<DeliveryClaims>().AddScoped<DeliveryRecorder>();
        services.AddSingleton<Dispatcher>().AddTransient<DispatchJob>();

        // No proxy (the connect step must see the address it connects to), no redirects (a 3xx is a failure: the
        // receiver's URL should change instead), no logging handlers (URLs may carry the receiver's own token).
        services.AddHttpClient(Dispatcher.ClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var o = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
                return new SocketsHttpHandler
                {
                    UseProxy = false,
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    ConnectTimeout = o.Timeout,
                    ConnectCallback = new GuardedConnector(o.AllowPrivateNetworks).ConnectAsync,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(1),
                };
            });

        var execution = configuration.GetSection(ExecutionOptions.Section).Get<ExecutionOptions>() ?? new ExecutionOptions();
        var webhooks = configuration.GetSection(WebhookOptions.Section).Get<WebhookOptions>() ?? new WebhookOptions();
        if (execution.RunServer)
            // Its own queue and workers: a receiver that answers slowly holds these, never the erasure jobs' workers.
            services.AddHangfireServer((provider, o) =>
            {
                o.Queues = [DispatchJob.Queue];
                o.WorkerCount = webhooks.Workers;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                o.Activator = new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>());
            });
        services.AddHostedService<RecurringDispatchRegistration>();
        return services;
    }

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks");
        webhooks.MapPost("/", CreateWebhook.Handle).RequireAuthorization(Scopes.Admin);
        webhooks.MapGet("/", ListWebhooks.Handle).RequireAuthorization(Scopes.Admin);
        webhooks.MapDelete("/{id}", DeleteWebhook.Handle).RequireAuthorization(Scopes.Admin);
        webhooks.MapGet("/{id}/deliveries", ListDeliveries.Handle).RequireAuthorization(Scopes.Admin);
        webhooks.MapPost("/{id}/deliveries/{deliveryId}/redeliver", Redeliver.Handle).RequireAuthorization(Scopes.Admin);
        // A key makes its own callback secret: whoever files requests with a callback_url verifies them.
        webhooks.MapPost("/callback-secret", CreateCallbackSecret.Handle).RequireAuthorization(Scopes.ErasureWrite);
        return app;
    }
}
