using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Suppressions;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Forwarding;

public sealed class TwoInstancesWithoutNotificationsTests(TwoInstancesWithoutNotifications instances)
    : TwoInstanceTests<TwoInstancesWithoutNotifications>(instances), IClassFixture<TwoInstancesWithoutNotifications>;

public abstract class TwoInstanceTests<TInstances>(TInstances instances) where TInstances : TwoInstances
{
    protected ForwardingApp A => instances.A;
    protected ForwardingApp B => instances.B;

    [Fact]
    public async Task ErasedOnA_IsDroppedOnB_RightAfterThe201()
    {
        var (erased, kept) = (NewId("erased-on-a"), NewId("kept"));
        await Erasures.CreateAsync(A.Management, [erased]);

        Assert.Equal(1, await B.UploadOkAsync(Upload(Record(erased), Record(kept))));
        Assert.Empty(await B.StoredForUserAsync(erased));
        Assert.Single(await B.StoredForUserAsync(kept));
    }

    [Fact]
    public async Task AThousandEraseThenUploadRaces_LeakNothing()
    {
        var erased = new List<string>();
        using var management = A.Management;
        using var uploads = B.CreateClient();
        for (var i = 0; i < 1000; i++)
        {
            var id = NewId("race");
            erased.Add(id);
            await Erasures.CreateAsync(management, [id]);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/interactions")
            {
                Content = new StringContent(Upload(Record(NewId("canary")), Record(id))),
            };
            request.Headers.Add("X-API-KEY", Secret);
            using var response = await uploads.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, Dropped(response));
        }

        var forwardedIds = (await A.Inspector.GetCallsAsync("production", 100_000)).SelectMany(c => c.UserIds).ToHashSet();
        Assert.Equal(1000, forwardedIds.Count(u => u.StartsWith("canary-", StringComparison.Ordinal)));
        Assert.DoesNotContain(erased, forwardedIds.Contains);
    }

    [Fact]
    public async Task AListeningInstance_CatchesUpOnAnErasureElsewhere_WithoutAnyUpload()
    {
        var sync = A.Services.GetRequiredService<SuppressionSync>();
        var before = sync.Set.Version;
        await Erasures.CreateAsync(B.Management, [NewId("heard-of")]);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (sync.Set.Version == before && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.True(sync.Set.Version > before, "A did not hear of the erasure made on B.");
    }

    [Fact]
    public async Task LiftingASuppression_LetsTheNextUploadThrough_OnBothInstances()
    {
        var user = NewId("lifted");
        await Erasures.CreateAsync(A.Management, [user]);
        Assert.Equal(1, await A.UploadOkAsync(Upload(Record(user))));
        Assert.Equal(1, await B.UploadOkAsync(Upload(Record(user))));

        var lift = await A.Management.DeleteJsonAsync($"/api/v1/suppressions/user_id/{user}", """{"reason": "came back with consent"}""");
        await lift.JsonAsync(HttpStatusCode.OK);

        Assert.Equal(0, await B.UploadOkAsync(Upload(Record(user))));
        Assert.Equal(0, await A.UploadOkAsync(Upload(Record(user))));
        Assert.Equal(2, (await A.StoredForUserAsync(user)).Count);
    }

    [Fact]
    public async Task ErasedAgainAfterALift_IsDroppedAgain_OnTheOtherInstance()
    {
        var user = NewId("again");
        await Erasures.CreateAsync(A.Management, [user]);
        await (await B.Management.DeleteJsonAsync($"/api/v1/suppressions/user_id/{user}", """{"reason": "consent"}""")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, await A.UploadOkAsync(Upload(Record(user))));

        await Erasures.CreateAsync(B.Management, [user]);
        Assert.Equal(1, await A.UploadOkAsync(Upload(Record(user))));
    }
}
