using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Miso.Emulator.Faults;
using Miso.Privacy.IntegrationTests.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Miso;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>Uploads and deletions go through separate resilience pipelines, so separate circuit breakers.</summary>
public sealed class CircuitTests(ForwardingApp app) : IClassFixture<ForwardingApp>
{
    [Fact]
    public async Task FailingUploadsOpenTheirCircuit_AndADeletionInTheSameEnvironmentStillReachesMiso()
    {
        await app.Inspector.SetFaultsAsync(new FaultSettings { Environment = "production", ErrorRate = 1, ErrorStatuses = [500] });
        try
        {
            // A flood of uploads that Miso fails: the upload circuit opens, and uploads are refused without a call.
            var open = false;
            for (var i = 0; i < 100 && !open; i++)
            {
                var response = await app.UploadAsync(Upload(Record(NewId("flood"))));
                open = response.StatusCode == HttpStatusCode.ServiceUnavailable
                    && (await response.JsonAsync(HttpStatusCode.ServiceUnavailable)).Str("message").Contains("unavailable");
            }
            Assert.True(open, "A hundred failing uploads never opened the upload circuit.");
        }
        finally
        {
            await app.Inspector.ClearFaultsAsync();
        }

        // Miso is healthy again, but the upload circuit is still open: an upload is refused without reaching Miso...
        var user = NewId("still-deleted");
        var refused = await app.UploadAsync(Upload(Record(user)));
        Assert.Contains("unavailable", (await refused.JsonAsync(HttpStatusCode.ServiceUnavailable)).Str("message"));
        Assert.DoesNotContain(await app.Inspector.GetCallsAsync("production", 100_000), c => c.Names(user));

        // ...while the erasure jobs' deletions in the same environment go through their own circuit, which is closed.
        var result = await app.Services.GetRequiredService<MisoClient>().DeleteInteractionsAsync("production", [user], default);
        Assert.True(result.Succeeded, $"The deletion did not reach Miso: {result.StatusCode} {result.Message}");
        Assert.Contains(await app.Inspector.GetCallsAsync("production", 100_000), c => CallLog.IsDelete(c) && c.Names(user));
    }
}
