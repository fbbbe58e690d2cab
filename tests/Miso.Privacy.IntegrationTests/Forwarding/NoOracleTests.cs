using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.IntegrationTests.Infrastructure;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>The forwarder on a real loopback port, so the answers compared are the bytes Kestrel sends.</summary>
public sealed class KestrelForwardingApp : ForwardingApp
{
    public Uri BaseAddress { get; private set; } = null!;

    protected override void Configure() => UseKestrel(0);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
    }
}

/// <summary>
/// A publishable key is public, so its answers must not tell whether anyone named in an upload asked to be forgotten:
/// the same status, headers and body whether nothing, something or everything was dropped.
/// </summary>
public sealed class NoOracleTests(KestrelForwardingApp app) : IClassFixture<KestrelForwardingApp>
{
    [Fact]
    public async Task PublishableKeyAnswers_AreByteIdentical_WithAndWithoutAnErasedUser_AndWithEveryRecordDropped()
    {
        var (erased, devErased) = (NewId("erased"), NewId("erased-in-development"));
        await Erasures.CreateAsync(app.Management, [erased]);
        await app.EraseInAsync(devErased, "development");

        var nobody = await AnswerAsync(Upload(Record(NewId("kept")), Record(NewId("kept"))));
        var someone = await AnswerAsync(Upload(Record(NewId("kept")), Record(erased)));
        var everyone = await AnswerAsync(Upload(Record(erased), Record(erased, NewId("anonymous"))));
        var elsewhere = await AnswerAsync(Upload(Record(devErased)));

        Assert.Equal(200, nobody.Status);
        Assert.Equal("{\"message\":\"success\"}", Encoding.UTF8.GetString(nobody.Body));
        Assert.Contains("Content-Length: 21", nobody.Headers);
        foreach (var other in new[] { someone, everyone, elsewhere })
        {
            Assert.Equal(nobody.Status, other.Status);
            Assert.Equal(nobody.Headers, other.Headers);
            Assert.Equal(nobody.Body, other.Body);
        }
        Assert.Empty(await app.StoredForUserAsync(erased));
        Assert.Single(await app.StoredForUserAsync(devErased));
    }

    [Fact]
    public async Task PublishableKeyAnswers_AreTheSame_WhenMisoFails_WhetherOrNotAnythingWasDropped()
    {
        // Were an all-dropped upload answered without Miso, an outage would show who is erased: only their uploads would succeed.
        var erased = NewId("erased-during-outage");
        await Erasures.CreateAsync(app.Management, [erased]);
        await app.Inspector.SetFaultsAsync(new Emulator.Faults.FaultSettings { Environment = "production", ErrorRate = 1, ErrorStatuses = [500] });
        try
        {
            var nobody = await AnswerAsync(Upload(Record(NewId("kept"))));
            var everyone = await AnswerAsync(Upload(Record(erased)));

            Assert.Equal(502, nobody.Status);
            Assert.Equal(nobody.Status, everyone.Status);
            Assert.Equal(nobody.Headers, everyone.Headers);
            Assert.Equal(nobody.Body, everyone.Body);
        }
        finally
        {
            await app.Inspector.ClearFaultsAsync();
        }
    }

    sealed record Answer(int Status, string[] Headers, byte[] Body);

    /// <summary>Status, every response header but Date (name and value, sorted), and the body's bytes, as a browser page would send it.</summary>
    async Task<Answer> AnswerAsync(string body)
    {
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/interactions") { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        request.Headers.Add("X-API-KEY", Publishable);
        request.Headers.Add("Origin", "https://shop.example");
        using var response = await http.SendAsync(request);
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => !h.Key.Equals("Date", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Select(v => $"{h.Key}: {v}"))
            .Order(StringComparer.Ordinal).ToArray();
        return new Answer((int)response.StatusCode, headers, await response.Content.ReadAsByteArrayAsync());
    }
}
