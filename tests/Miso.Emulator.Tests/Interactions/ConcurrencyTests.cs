using System.Net;
using Miso.Emulator.Tests.Support;

namespace Miso.Emulator.Tests.Interactions;

public sealed class ConcurrencyTests(EmulatorFixture fixture) : EmulatorTest(fixture)
{
    [Fact]
    public async Task ConcurrentUploadersAndDeleters_CountsAddUp()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var workers = Enumerable.Range(0, 16).Select(w => Task.Run(() => WorkAsync(w, stop.Token))).ToList();
        var results = await Task.WhenAll(workers);

        var stats = await Inspector.GetStatsAsync("production");
        Assert.Equal(results.Sum(r => r.Uploads), stats.Uploads);
        Assert.Equal(results.Sum(r => r.Deletes), stats.DeleteCalls);
        Assert.Equal(results.Sum(r => r.Kept), stats.Interactions);
        Assert.Equal(results.Sum(r => r.Kept), (await Inspector.GetInteractionsAsync("production")).Count);
        Assert.Equal(0, stats.Rejected);
        Assert.All(results, r => Assert.True(r.Uploads > 0));
    }

    /// <summary>Each worker owns its users, uploads three records per user and deletes every other user.</summary>
    async Task<(int Uploads, int Deletes, int Kept)> WorkAsync(int worker, CancellationToken stop)
    {
        var (uploads, deletes, kept) = (0, 0, 0);
        for (var round = 0; !stop.IsCancellationRequested; round++)
        {
            var userId = $"w{worker}-u{round}";
            using (var upload = await Client.UploadAsync(Enumerable.Range(0, 3).Select(i => MisoRequests.ValidRecord(i, userId))))
                Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
            uploads++;
            kept += 3;
            if (round % 2 == 1)
            {
                using var delete = await Client.DeleteInteractionsAsync([userId, $"w{worker}-u{round - 1}-never"]);
                Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
                deletes++;
                kept -= 3;
            }
        }
        return (uploads, deletes, kept);
    }
}
