using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Miso.Privacy.IntegrationTests.Telemetry;

public sealed record CapturedLog(LogLevel Level, string Category, string Text);

/// <summary>
/// Keeps every log entry as all the text a sink could print: the message, each structured value, each
/// enclosing scope's values, and the exception with its inner exceptions and stack.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    readonly ConcurrentQueue<CapturedLog> _entries = new();
    IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<CapturedLog> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new List<string> { eventId.Name ?? "", formatter(state, exception) };
            Values(state, text);
            provider._scopes.ForEachScope((scope, list) => Values(scope, list), text);
            if (exception is not null)
                text.Add(exception.ToString());
            provider._entries.Enqueue(new CapturedLog(logLevel, category, string.Join("\n", text)));
        }

        static void Values(object? state, List<string> text)
        {
            text.Add(state?.ToString() ?? "");
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
                foreach (var (key, value) in pairs)
                    text.Add($"{key}={Render(value)}");
        }

        static string Render(object? value) => value switch
        {
            null => "",
            string s => s,
            System.Collections.IEnumerable items => string.Join(",", items.Cast<object?>().Select(i => i?.ToString())),
            _ => value.ToString() ?? "",
        };
    }
}
