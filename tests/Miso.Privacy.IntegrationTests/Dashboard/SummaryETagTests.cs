using System.Net;
using System.Net.Http.Headers;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Dashboard;

public sealed class SummaryETagTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    [Fact]
    public async Task Summary_Answers304ForTheSameETag_And200WithANewETagAfterAChange()
    {
        var client = app.ClientFor(TestKeys.All);
        var first = await client.GetAsync("/api/v1/dashboard/summary");
        await first.JsonAsync(HttpStatusCode.OK);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        var again = await Conditional(client, etag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(etag, again.Headers.ETag);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());

        var created = await client.PostJsonAsync("/api/v1/erasure-requests", """{"user_ids": ["etag-1"], "requested_by": "t"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var changed = await Conditional(client, etag);
        var body = await changed.JsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Equal(1, body.GetProperty("by_status").GetProperty("pending").GetInt64());
        Assert.Equal(HttpStatusCode.NotModified, (await Conditional(client, changed.Headers.ETag!)).StatusCode);
    }

    static Task<HttpResponseMessage> Conditional(HttpClient client, EntityTagHeaderValue etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/dashboard/summary");
        request.Headers.IfNoneMatch.Add(etag);
        return client.SendAsync(request);
    }
}
