using Microsoft.Extensions.Logging.Console;

namespace Miso.Privacy.Infrastructure.Telemetry;

public static class PrivacyLogging
{
    /// <summary>
    /// JSON lines in production (and in compose), one plain line per entry in development; the standard
    /// <c>Logging:Console:FormatterName</c> (<c>json</c> or <c>simple</c>) picks either, and scripts/run.sh sets
    /// <c>simple</c> when a person watches its terminal. The floors below are set in code, after the
    /// configuration's, so that no appsettings or environment variable can lower them by accident: ASP.NET
    /// Core's request logging prints raw paths and query strings, and those carry subject ids
    /// (<c>/api/v1/subjects/user_id/…</c>) and Miso keys (<c>?api_key=</c>); HttpClient's header dumps carry
    /// X-API-KEY. (A provider-specific rule, <c>Logging:Console:LogLevel:…</c>, still overrides them: don't.)
    /// </summary>
    public static ILoggingBuilder AddPrivacyLogging(this ILoggingBuilder logging, IHostEnvironment environment)
    {
        var json = !environment.IsDevelopment() && !environment.IsEnvironment("Testing");
        logging.AddConsole();
        logging.Services.PostConfigure<ConsoleLoggerOptions>(o =>
            o.FormatterName ??= json ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple);
        logging.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        // Also keeps the hosting layer from opening its per-request log scope, which holds the raw RequestPath;
        // with tracing on, TraceId and SpanId still tie log lines to requests.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // Routing logs the request path at Debug ("candidate(s) found for the request path …").
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // HttpClient's Trace entries print header values as "*", but their structured state holds the real ones:
        // X-API-KEY, the Miso secret or the caller's publishable key, would reach any structured sink.
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Debug);
        // YARP logs every destination URL, whose query may hold the caller's api_key; the pass-through logs its
        // own failures, naming the environment only.
        logging.AddFilter("Yarp", LogLevel.None);
        return logging;
    }
}
