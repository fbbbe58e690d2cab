using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Miso.Privacy.IntegrationTests.Dashboard;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.IntegrationTests.Telemetry;

namespace Miso.Privacy.IntegrationTests.Operations;

/// <summary>
/// A client that trickles its body slower than Kestrel's minimum data rate, against the real Kestrel server: it gets
/// a 408, nothing is written, and the log has one Information line about it, with no stack trace and no error.
/// </summary>
public sealed class SlowBodyTests : IAsyncLifetime
{
    readonly CapturingLoggerProvider _logs = new();
    readonly KestrelPrivacyApp _app = new();

    public SlowBodyTests() => _app.TestServices = services =>
    {
        services.AddSingleton<ILoggerProvider>(_logs);
        // The default (240 bytes/s after 5 s) would make the test wait; the rule under test is the same.
        services.Configure<KestrelServerOptions>(o => o.Limits.MinRequestBodyDataRate = new MinDataRate(100, TimeSpan.FromSeconds(2)));
    };

    public Task InitializeAsync() => _app.InitializeAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ABodyTrickledTooSlowly_Gets408_WritesNothing_AndLogsOneInformationLineWithoutAStack()
    {
        var body = Encoding.UTF8.GetBytes("""{"user_ids": ["slow-body"], "requested_by": "t"}""".PadRight(4000));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", _app.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /api/v1/erasure-requests HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
            $"Authorization: Bearer {TestKeys.Writer.Value}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"));

        var answer = ReadToEndAsync(stream);
        for (var i = 0; i < body.Length && !answer.IsCompleted; i++)
        {
            try { await stream.WriteAsync(body.AsMemory(i, 1)); }
            catch (IOException) { break; }
            await Task.WhenAny(answer, Task.Delay(250));
        }
        var response = await answer.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("HTTP/1.1 408 ", response);
        Assert.Contains("application/problem+json", response);
        Assert.Contains("\"body\"", response);
        Assert.Equal(0, await _app.CountAsync("erasure_requests"));

        var entries = _logs.Entries.ToList();
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(entries, e => e.Text.Contains("   at ", StringComparison.Ordinal));
        var logged = Assert.Single(entries, e => e.Text.Contains("408", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, logged.Level);
    }

    static async Task<string> ReadToEndAsync(NetworkStream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
                received.Write(buffer, 0, read);
        }
        catch (IOException)
        {
            // The server closes the connection after its answer; what arrived before is the answer.
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }
}
