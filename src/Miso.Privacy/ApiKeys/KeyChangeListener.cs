using Npgsql;

namespace Miso.Privacy.ApiKeys;

/// <summary>
/// Makes a key created or revoked on another instance count here at once instead of within
/// <see cref="KeyDirectory.MaxAge"/>. Correctness never depends on it: a missed notification only means the bound.
/// </summary>
sealed partial class KeyChangeListener(
    KeyDirectory directory, [FromKeyedServices(ApiKeysApi.ListenKey)] NpgsqlDataSource listenSource, ILogger<KeyChangeListener> logger)
    : BackgroundService
{
    public const string Channel = "miso_privacy_api_keys";

    static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await listenSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => directory.Invalidate();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                backoff = TimeSpan.FromMilliseconds(250);
                // Whatever changed while nobody listened.
                directory.Invalidate();
                while (true)
                    await connection.WaitAsync(IdleCheck, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListenFailed(e.GetType().Name, backoff.TotalMilliseconds);
                await Task.Delay(backoff, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Listening for API key changes failed ({Error}); reconnecting in {DelayMs} ms")]
    partial void LogListenFailed(string error, double delayMs);
}
