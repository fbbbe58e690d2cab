using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Suppressions;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Forwarding;

[Trait(RunsAlongside.Trait, RunsAlongside.Yes)]
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
    public async Task MisoDeleteOnA_WithADevelopmentKey_IsDroppedOnB_InDevelopmentOnly()
    {
        var user = NewId("dev-delete-on-a");
        var delete = new HttpRequestMessage(HttpMethod.Delete, "/v1/interactions")
        {
            Content = new StringContent($$"""{"user_ids": ["{{user}}"]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        delete.Headers.Add("X-API-KEY", DevelopmentSecret);
        await (await A.CreateClient().SendAsync(delete)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, await B.UploadOkAsync(Upload(Record(user)), DevelopmentSecret));
        Assert.Equal(0, await B.UploadOkAsync(Upload(Record(user)), Secret));
        Assert.Empty(await B.StoredForUserAsync(user, "development"));
        Assert.Single(await B.StoredForUserAsync(user));
    }

    [Fact]
    public async Task PerEnvironmentEraseThenUploadRaces_LeakNothing_AndDropNothingElsewhere()
    {
        // Each id is erased in one environment on A, then uploaded to both on B at once: dropped where it was erased,
        // forwarded where it was not, whatever the instance, and whichever environment changed last.
        var erasedIn = new Dictionary<string, string>();
        using var uploads = B.CreateClient();
        for (var i = 0; i < 200; i++)
        {
            var (environment, other) = i % 2 == 0 ? ("production", "development") : ("development", "production");
            var id = NewId("env-race");
            erasedIn[id] = environment;
            await A.EraseInAsync(id, environment);
            var answers = await Task.WhenAll(SendAsync(uploads, environment, id), SendAsync(uploads, other, id));
            Assert.Equal([1, 0], answers);
        }

        foreach (var environment in new[] { "production", "development" })
        {
            var forwarded = (await A.Inspector.GetCallsAsync(environment, 100_000)).SelectMany(c => c.UserIds).ToHashSet();
            Assert.DoesNotContain(erasedIn.Where(e => e.Value == environment).Select(e => e.Key), forwarded.Contains);
            Assert.All(erasedIn.Where(e => e.Value != environment).Select(e => e.Key), id => Assert.Contains(id, forwarded));
        }
    }

    static async Task<int> SendAsync(HttpClient client, string environment, string userId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/interactions") { Content = new StringContent(Upload(Record(userId))) };
        request.Headers.Add("X-API-KEY", environment == "production" ? Secret : DevelopmentSecret);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Dropped(response);
    }

    [Fact]
    public async Task LiftingInOneEnvironment_LetsTheNextUploadThereThrough_OnTheOtherInstance_AndOnlyThere()
    {
        var user = NewId("lifted-in-dev");
        await Erasures.CreateAsync(A.Management, [user]);
        Assert.Equal(1, await B.UploadOkAsync(Upload(Record(user)), DevelopmentSecret));

        var lift = await A.Management.DeleteJsonAsync($"/api/v1/suppressions/user_id/{user}", """{"reason": "consent", "environments": ["development"]}""");
        await lift.JsonAsync(HttpStatusCode.OK);

        Assert.Equal(0, await B.UploadOkAsync(Upload(Record(user)), DevelopmentSecret));
        Assert.Equal(1, await B.UploadOkAsync(Upload(Record(user)), Secret));
        Assert.Equal(1, await A.UploadOkAsync(Upload(Record(user)), Secret));
    }

    [Fact]
    public async Task CancellingOnA_LiftsOnB_OnlyWhereNoOtherRequestCovers()
    {
        var user = NewId("cancel-across");
        await A.EraseInAsync(user, "development");
        var both = await Erasures.CreateAsync(A.Management, [user]);
        Assert.Equal(1, await B.UploadOkAsync(Upload(Record(user)), Secret));

        await (await A.Management.PostJsonAsync($"/api/v1/erasure-requests/{both}/cancel", """{"reason": "mistake"}""")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(0, await B.UploadOkAsync(Upload(Record(user)), Secret));
        Assert.Equal(1, await B.UploadOkAsync(Upload(Record(user)), DevelopmentSecret));
    }

    [Fact]
    public async Task AListeningInstance_CatchesUpOnAnErasureElsewhere_WithoutAnyUpload()
    {
        var sync = A.Services.GetRequiredService<SuppressionSync>();
        var before = sync.Version;
        await Erasures.CreateAsync(B.Management, [NewId("heard-of")]);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (sync.Version == before && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.True(sync.Version > before, "A did not hear of the erasure made on B.");
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
