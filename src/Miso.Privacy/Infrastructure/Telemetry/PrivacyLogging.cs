namespace Miso.Privacy.Infrastructure.Telemetry;

public static class PrivacyLogging
{
    /// <summary>
    /// JSON lines in production, the simple console elsewhere. The floors below are set in code, after the
    /// configuration's, so that no appsettings or environment variable can lower them by accident: ASP.NET
    /// Core's request logging prints raw paths and query strings, and those carry subject ids
    /// (<c>/api/v1/subjects/user_id/…</c>) and Miso keys (<c>?api_key=</c>); HttpClient's header dumps carry
    /// X-API-KEY. (A provider-specific rule, <c>Logging:Console:LogLevel:…</c>, still overrides them: don't.)
    /// </summary>
    public static ILoggingBuilder AddPrivacyLogging(this ILoggingBuilder logging, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment() && !environment.IsEnvironment("Testing"))
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        // Also keeps the hosting layer from opening its per-request log scope, which holds the raw RequestPath;
        // with tracing on, TraceId and SpanId still tie log lines to requests.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // Routing logs the request path at Debug ("candidate(s) found for the request path …").
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // HttpClient's Trace entries print header values as "*", but their structured state holds the real ones:
        // X-API-KEY, the Miso secret or the caller's publishable key, would reach any structured sink.
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Debug);
        return logging;
    }
}
