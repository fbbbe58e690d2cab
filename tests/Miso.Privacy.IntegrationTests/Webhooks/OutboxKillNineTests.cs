using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Miso.Emulator;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.IntegrationTests.Operations;
using Miso.Privacy.Webhooks;
using Xunit.Abstractions;

namespace Miso.Privacy.IntegrationTests.Webhooks;

/// <summary>
/// The real service process killed with SIGKILL after a state change committed and while its first event was on the
/// wire: started again, it delivers that event (with the same webhook-id) and every later one, in order, signed.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class OutboxKillNineTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillingTheServiceBetweenCommitAndDelivery_LosesNoEvent()
    {
        var connectionString = await TestDatabase.CreateAsync();
        await using var emulator = await EmulatorServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var holding = true;
        // While holding, the receiver never answers: the event is committed, claimed and sent, but not delivered.
        receiver.Respond = (_, _, _) => Volatile.Read(ref holding) ? 0 : 200;
        var port = FreePort.Next();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.All.Value);

        var service = await StartAsync(port, connectionString, emulator, http);
        try
        {
            var created = await (await http.PostJsonAsync("/api/v1/webhooks", JsonSerializer.Serialize(new { url = receiver.Url("kill"), events = WebhookEvents.All })))
                .JsonAsync(HttpStatusCode.Created);
            var secret = created.Str("secret");
            var request = await Erasures.CreateAsync(http, ["kill9-webhook"]);
            var held = (await receiver.WaitForAsync(c => c.Count >= 1, TimeSpan.FromSeconds(60)))[0];
            Assert.Equal(WebhookEvents.Created, held.Type());

            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
            Volatile.Write(ref holding, false);
            receiver.Release();
            service.Dispose();
            service = await StartAsync(port, connectionString, emulator, http);

            await Erasures.WaitForAsync(http, [request], "completed", TimeSpan.FromMinutes(2));
            var calls = await receiver.WaitForAsync(c => c.Delivered("/kill", request).Count == 3, TimeSpan.FromMinutes(2));
            Assert.Equal([WebhookEvents.Created, WebhookEvents.InProgress, WebhookEvents.Completed], calls.Delivered("/kill", request));
            Assert.Contains(calls, c => c.Status == 200 && c.Header("webhook-id") == held.Header("webhook-id") && c.Text == held.Text);
            Assert.All(calls, c => Assert.True(StandardWebhooksVerifier.Verifies(secret, c)));
        }
        finally
        {
            service.Kill(entireProcessTree: true);
            service.Dispose();
        }
    }

    async Task<Process> StartAsync(int port, string connectionString, EmulatorServer emulator, HttpClient http)
    {
        var bin = KillNineTests.ServiceOutput.Value;
        var info = new ProcessStartInfo("dotnet", [Path.Combine(bin, "Miso.Privacy.dll")])
        {
            WorkingDirectory = bin, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Privacy"] = DatabaseRoles.AsService(connectionString),
            ["Privacy__SubjectHashKey"] = TestKeys.SubjectHashKey,
            ["Privacy__RetentionKey"] = TestKeys.RetentionKey,
            ["Auth__ApiKeys__0__Name"] = TestKeys.All.Name,
            ["Auth__ApiKeys__0__KeySha256"] = TestKeys.Sha256(TestKeys.All.Value),
            ["Execution__BatchWindow"] = "00:00:00.200",
            ["Execution__DrainInterval"] = "00:00:01",
            ["Webhooks__AllowPrivateNetworks"] = "true",
            ["Webhooks__DispatchInterval"] = "00:00:01",
            ["Webhooks__Timeout"] = "00:00:02",
            ["Webhooks__RetryBaseDelay"] = "00:00:00.200",
            ["Webhooks__RetryMaxDelay"] = "00:00:01",
        };
        foreach (var (key, value) in TestKeys.SigningSettings)
            settings[key.Replace(":", "__")] = value!;
        for (var s = 0; s < TestKeys.All.Scopes.Length; s++)
            settings[$"Auth__ApiKeys__0__Scopes__{s}"] = TestKeys.All.Scopes[s];
        for (var i = 0; i < emulator.Environments.Count; i++)
        {
            settings[$"Miso__Environments__{i}__Name"] = emulator.Environments[i].Name;
            settings[$"Miso__Environments__{i}__BaseUrl"] = emulator.BaseAddress.ToString();
            settings[$"Miso__Environments__{i}__SecretKey"] = emulator.Environments[i].SecretKey;
        }
        foreach (var (name, value) in settings)
            info.Environment[name] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 240; attempt++)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                    return process;
            }
            catch (HttpRequestException) { }
            Assert.False(process.HasExited, "the service exited during start");
            await Task.Delay(250);
        }
        throw new TimeoutException("the service did not become ready");
    }
}
