using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Webhooks;

/// <summary>One request the receiver got: its headers, the exact body bytes, and the status it answered.</summary>
public sealed record ReceivedCall(string Path, Dictionary<string, string> Headers, byte[] Body, int Status, DateTimeOffset At)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : "";
}

/// <summary>
/// A webhook receiver the test starts: a small Kestrel app on a loopback port that records every call and answers with
/// whatever <see cref="Respond"/> says: 200 unless told otherwise, and 0 holds the call open until <see cref="Release"/>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    WebhookReceiver(WebApplication app, int port) => (_app, Port) = (app, port);

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public string Url(string path = "hooks") => $"http://127.0.0.1:{Port}/{path}";
    public ConcurrentQueue<ReceivedCall> Calls { get; } = new();

    /// <summary>
    /// The status for a call, given its path, headers and how many calls with the same webhook-id came before it; 0 holds
    /// the call open until <see cref="Release"/> (or the receiver stops): a receiver that never answers.
    /// </summary>
    public Func<string, IReadOnlyDictionary<string, string>, int, int> Respond { get; set; } = (_, _, _) => 200;

    public void Release() => _release.TrySetResult();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, port);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    async Task HandleAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var id = headers.GetValueOrDefault("webhook-id", "");
        var before = Calls.Count(c => c.Headers.GetValueOrDefault("webhook-id", "") == id && id.Length > 0);
        var status = Respond(http.Request.Path, headers, before);
        Calls.Enqueue(new ReceivedCall(http.Request.Path, headers, body.ToArray(), status, DateTimeOffset.UtcNow));
        if (status == 0)
            await _release.Task.WaitAsync(http.RequestAborted);
        else
            http.Response.StatusCode = status;
    }

    /// <summary>Waits until the condition holds over the calls so far, or fails with what arrived.</summary>
    public async Task<List<ReceivedCall>> WaitForAsync(Func<List<ReceivedCall>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var calls = Calls.ToList();
            if (done(calls))
                return calls;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"The receiver did not get what the test waited for; it got {calls.Count} call(s):\n"
                    + string.Join("\n", calls.Select(c => $"{c.Status} {c.Header("webhook-id")} {c.Text}")));
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
