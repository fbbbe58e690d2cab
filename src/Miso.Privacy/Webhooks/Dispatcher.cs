using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Miso.Privacy.Infrastructure.Telemetry;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// One dispatch pass: keep up to <see cref="WebhookOptions.MaxInFlight"/> deliveries on the wire, claiming more as each
/// one is recorded (so the next event of a stream goes as soon as the one before it landed), within a time budget.
/// It runs on the webhooks queue's own Hangfire workers: a slow receiver holds a webhook worker, never an erasure job.
/// </summary>
public sealed partial class Dispatcher(
    IServiceScopeFactory scopes, IHttpClientFactory clients, IEnumerable<ICallbackFormat> formats, IOptions<WebhookOptions> options,
    TimeProvider clock, ILogger<Dispatcher> logger)
{
    public const string ClientName = "webhooks";

    static readonly TimeSpan Budget = TimeSpan.FromSeconds(50);
    readonly Dictionary<string, ICallbackFormat> _formats = formats.ToDictionary(f => f.Name);

    public async Task DispatchAsync(CancellationToken ct)
    {
        var o = options.Value;
        var started = clock.GetTimestamp();
        var running = new List<Task>();
        while (!ct.IsCancellationRequested)
        {
            running.RemoveAll(t => t.IsCompleted);
            var claimed = 0;
            if (running.Count < o.MaxInFlight && clock.GetElapsedTime(started) < Budget)
            {
                var claimId = Guid.CreateVersion7();
                using var scope = scopes.CreateScope();
                var batch = await scope.ServiceProvider.GetRequiredService<DeliveryClaims>().ClaimAsync(claimId, o.MaxInFlight - running.Count, o.Lease, ct);
                running.AddRange(batch.Select(d => SendAsync(d, claimId, ct)));
                claimed = batch.Count;
            }
            if (running.Count == 0)
                return;
            // Claim again as soon as a delivery lands (it may have freed the next event of its stream), or shortly.
            if (claimed == 0 || running.Count >= o.MaxInFlight)
                await Task.WhenAny(Task.WhenAny(running), Task.Delay(TimeSpan.FromMilliseconds(250), clock, ct));
        }
        await Task.WhenAll(running);
    }

    async Task SendAsync(DeliveryToSend delivery, Guid claimId, CancellationToken ct)
    {
        try
        {
            var attemptedAt = clock.GetUtcNow();
            var outcome = await AttemptAsync(delivery, attemptedAt, ct);
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<DeliveryRecorder>().RecordAsync(delivery, claimId, attemptedAt, outcome, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The delivery keeps its lease and is claimed again when it runs out: nothing is lost, it is sent again.
            LogUnrecorded(e.GetType().Name, delivery.Id);
        }
    }

    async Task<DeliveryOutcome> AttemptAsync(DeliveryToSend delivery, DateTimeOffset now, CancellationToken ct)
    {
        var timeout = options.Value.Timeout;
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        using var message = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.UserAgent.ParseAdd("Miso.Privacy-Webhooks/1.0");
        message.Options.Set(TraceRedaction.AuthorityOnly, true);
        try
        {
            await _formats[delivery.Format].SignAsync(message, delivery, body, now, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Its secret or key is gone (OpenDSR switched off, say): an attempt that failed, retried until the window ends.
            return DeliveryOutcome.NoAnswer($"could not be signed ({e.GetType().Name})", true, TimeSpan.Zero);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var retryAfter = response.Headers.RetryAfter is { } header
                ? header.Delta ?? (header.Date is { } date ? date - now : null)
                : null;
            return DeliveryOutcome.Answered((int)response.StatusCode, retryAfter, watch.Elapsed);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryOutcome.NoAnswer($"no answer within {timeout.TotalSeconds:0.###} s (Webhooks:Timeout)", true, watch.Elapsed);
        }
        catch (HttpRequestException e) when (e.InnerException is DestinationRefusedException refused)
        {
            return DeliveryOutcome.NoAnswer(refused.Message, false, watch.Elapsed);
        }
        catch (HttpRequestException e)
        {
            return DeliveryOutcome.NoAnswer($"could not be sent ({e.HttpRequestError})", true, watch.Elapsed);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Webhook delivery {DeliveryId} was sent but its outcome not recorded ({Error}); it is sent again when its lease ends")]
    partial void LogUnrecorded(string error, long deliveryId);
}
