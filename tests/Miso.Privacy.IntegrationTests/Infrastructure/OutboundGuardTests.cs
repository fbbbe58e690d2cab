using System.Net;
using System.Text;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>The guard itself: a Miso environment on a host no test started is never called.</summary>
public sealed class OutboundGuardTests : IAsyncLifetime
{
    readonly PrivacyApp _app = new();

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        _app.ExtraSettings["Miso:Environments:0:Name"] = "production";
        _app.ExtraSettings["Miso:Environments:0:BaseUrl"] = "http://miso.example/";
        _app.ExtraSettings["Miso:Environments:0:SecretKey"] = "guard-secret-key";
    }

    [Fact]
    public async Task UnplannedHost_FailsTheCall_AndIsRecorded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/interactions")
        {
            Content = new StringContent("""{"data": [{"type": "home_page_view", "user_id": "guard"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-API-KEY", "guard-secret-key");
        var response = await _app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal([new Uri("http://miso.example/")], _app.Outbound.Unplanned);
        Assert.Throws<InvalidOperationException>(_app.Outbound.AssertNoneUnplanned);
        _app.Outbound.Unplanned.Clear();
    }

    public async Task DisposeAsync() => await ((IAsyncLifetime)_app).DisposeAsync();
}
