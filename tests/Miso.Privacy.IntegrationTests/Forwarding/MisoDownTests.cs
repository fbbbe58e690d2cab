using System.Net;
using Miso.Privacy.IntegrationTests.Infrastructure;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>The service pointed at a loopback port nobody listens on.</summary>
public sealed class UnreachableMisoApp : ForwardingApp
{
    protected override void Configure()
    {
        var closed = $"http://127.0.0.1:{FreePort.Next()}/";
        Outbound.Plan(new Uri(closed));
        for (var i = 0; i < Emulator.Environments.Count; i++)
            ExtraSettings[$"Miso:Environments:{i}:BaseUrl"] = closed;
    }
}

public sealed class MisoDownTests(UnreachableMisoApp app) : IClassFixture<UnreachableMisoApp>
{
    [Fact]
    public async Task MisoUnreachable_Gets502InMisosShape_AndNothingIsForwarded()
    {
        var user = NewId("nowhere");
        var response = await app.UploadAsync(Upload(Record(user)));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("nothing was forwarded", (await response.JsonAsync(HttpStatusCode.BadGateway)).Str("message"));
        Assert.Empty(await app.Inspector.GetCallsAsync(null, 100_000));
    }

    [Fact]
    public async Task EveryRecordDropped_StillAnswersSuccess_SinceMisoIsNotNeeded()
    {
        var user = NewId("dropped-anyway");
        await Erasures.CreateAsync(app.Management, [user]);
        Assert.Equal(1, await app.UploadOkAsync(Upload(Record(user))));
    }
}

public sealed class MisoFailingTests(ForwardingApp app) : IClassFixture<ForwardingApp>
{
    [Fact]
    public async Task Miso503AfterRetries_Gets503InMisosShape_AndNothingIsStored()
    {
        var user = NewId("outage");
        await app.Inspector.SetFaultsAsync(new Emulator.Faults.FaultSettings { OutageSeconds = 60 });
        try
        {
            var response = await app.UploadAsync(Upload(Record(user)));
            Assert.Contains("nothing was forwarded", (await response.JsonAsync(HttpStatusCode.ServiceUnavailable)).Str("message"));
            Assert.Empty(await app.StoredForUserAsync(user));
        }
        finally
        {
            await app.Inspector.ClearFaultsAsync();
        }
    }
}

public sealed class PassThroughMisoDownTests(UnreachableMisoApp app) : IClassFixture<UnreachableMisoApp>
{
    [Theory]
    [InlineData("POST", "/v1/search/search", """{"q": "x", "user_id": "someone"}""")]
    [InlineData("GET", "/v1/products/_ids", null)]
    public async Task MisoUnreachable_Gets502InMisosShape(string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-API-KEY", Secret);
        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal("Miso could not be reached. Retry later.", (await response.JsonAsync(HttpStatusCode.BadGateway)).Str("message"));
    }
}

public sealed class PassThroughMisoFailingTests(ForwardingApp app) : IClassFixture<ForwardingApp>
{
    [Fact]
    public async Task MisosOwn503_IsPassedOnAsMisoSentIt()
    {
        await app.Inspector.SetFaultsAsync(new Emulator.Faults.FaultSettings { OutageSeconds = 60 });
        try
        {
            using var direct = app.Emulator.CreateClient();
            var expected = await (await direct.PostJsonAsync($"v1/search/search?api_key={DevelopmentSecret}", """{"q": "x"}""")).Content.ReadAsStringAsync();
            var response = await app.CreateClient().PostJsonAsync($"/v1/search/search?api_key={Secret}", """{"q": "x"}""");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(expected, await response.Content.ReadAsStringAsync());
        }
        finally
        {
            await app.Inspector.ClearFaultsAsync();
        }
    }
}
