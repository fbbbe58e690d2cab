using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Miso;

namespace Miso.Privacy.IntegrationTests.Execution;

/// <summary>
/// The rate limit holds where Miso counts it, at arrival, even when a call is held up between its grant and Miso: a new
/// connection's handshake, a cold first request, a starved thread pool.
/// </summary>
[Collection(ExecutionCollection.Name)]
public sealed class RateGateArrivalTests
{
    const int Rate = 5;
    static readonly TimeSpan Holdup = TimeSpan.FromMilliseconds(700);

    [Fact]
    public async Task AFirstCallHeldUpOnItsWayToMiso_StillLeavesNoSecondWithMoreArrivalsThanTheRate()
    {
        await using var app = new ExecutionApp();
        app.ExtraSettings["Execution:MaxCallsPerSecond"] = Rate.ToString();
        app.ExtraSettings["Execution:BatchSize"] = "10";
        var heldUp = new ConcurrentDictionary<string, bool>();
        app.TestServices = services => services.AddHttpClient<MisoClient>().AddHttpMessageHandler(() => new HoldUpFirstCall(heldUp, Holdup));
        await app.InitializeAsync();

        var users = Enumerable.Range(0, 100).Select(i => $"held-up-{i}").ToList();
        var ids = new List<string>();
        foreach (var chunk in users.Chunk(50))
            ids.Add(await Erasures.CreateAsync(app.ClientFor(TestKeys.All), chunk));
        await Erasures.WaitForAsync(app.ClientFor(TestKeys.All), ids, "completed");

        foreach (var environment in app.Emulator.Environments)
        {
            var calls = (await app.Inspector.GetCallsAsync(environment.Name, 100_000)).Where(CallLog.IsDelete).ToList();
            Assert.Equal(20, calls.Count); // 100 ids in batches of 10, two deletions each
            Assert.InRange(CallLog.MaxInAnySecond(calls), 1, Rate);
        }
    }

    /// <summary>Holds each environment's first deletion after it passed the rate gate, as a slow new connection would.</summary>
    sealed class HoldUpFirstCall(ConcurrentDictionary<string, bool> heldUp, TimeSpan holdup) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (MisoRequestOptions.IsRateLimited(request) && heldUp.TryAdd(MisoRequestOptions.EnvironmentOf(request), true))
                await Task.Delay(holdup, ct);
            return await base.SendAsync(request, ct);
        }
    }
}
