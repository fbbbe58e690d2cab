using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Miso.Privacy.Infrastructure.Http;

/// <summary>
/// PostgreSQL down or restarting is the client's cue to retry, not a server bug: 503 problem+json with
/// Retry-After. Nothing was written (every write is one transaction), so a retry is safe. An error of
/// another shape is judged by asking the database itself: if it does not answer, it is away.
/// </summary>
sealed partial class DatabaseUnavailableHandler(NpgsqlDataSource database, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (context.Response.HasStarted || !(IsDatabaseUnavailable(exception) || !await AnswersAsync()))
            return false;
        LogUnavailable(logger, exception.GetType().Name);
        context.Response.Headers.RetryAfter = "5";
        await Problems.Field("database", "The database is unavailable; nothing was written. Retry shortly.",
            StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context);
        return true;
    }

    /// <summary>
    /// Connection-level failures (any NpgsqlException that is not an error PostgreSQL sent) and the
    /// server's own "going away" states; an SQL error stays a 500, because it is a bug.
    /// </summary>
    static bool IsDatabaseUnavailable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is TimeoutException or NpgsqlException and not PostgresException
                || e is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow
                    or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.TooManyConnections })
                return true;
        return false;
    }

    async Task<bool> AnswersAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "The database is unavailable ({Error}); answered 503")]
    static partial void LogUnavailable(ILogger logger, string error);
}
