using System.Net;
using System.Net.Http.Headers;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Dashboard;

/// <summary>The page and its files are the ones in the source tree, served with their headers, and revalidate with 304.</summary>
public sealed class DashboardAssetTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    const string Policy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

    static readonly (string Path, string File, string MediaType)[] Files =
    [
        ("/dashboard", "index.html", "text/html"),
        ("/dashboard/app.js", "app.js", "text/javascript"),
        ("/dashboard/views.js", "views.js", "text/javascript"),
        ("/dashboard/charts.js", "charts.js", "text/javascript"),
        ("/dashboard/style.css", "style.css", "text/css"),
    ];

    public static TheoryData<string, string, string> Assets()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (path, file, mediaType) in Files)
            data.Add(path, file, mediaType);
        return data;
    }

    public static TheoryData<string> Paths => new(Files.Select(f => f.Path));

    [Theory]
    [MemberData(nameof(Assets))]
    public async Task Asset_IsTheSourceFile_WithAStrongETag_CacheAndSecurityHeaders(string path, string file, string mediaType)
    {
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var source = await File.ReadAllBytesAsync(Path.Combine(RepoRoot.Path, "src", "Miso.Privacy", "Dashboard", "Assets", file));
        Assert.Equal(source, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.True(response.Headers.CacheControl?.NoCache);
        AssertSecurityHeaders(response);
        Assert.Equal(etag, (await app.CreateClient().GetAsync(path)).Headers.ETag);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Asset_Answers304_ToItsOwnETag_InAnyFormIfNoneMatchAllows(string path)
    {
        var etag = (await app.CreateClient().GetAsync(path)).Headers.ETag!;
        var weak = new EntityTagHeaderValue(etag.Tag, isWeak: true);
        var other = new EntityTagHeaderValue("\"0000000000000000\"");

        EntityTagHeaderValue[][] matchingForms = [[etag], [other, etag], [weak], [EntityTagHeaderValue.Any]];
        foreach (var matching in matchingForms)
        {
            var revalidated = await Conditional(path, matching);
            Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
            Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, revalidated.Headers.ETag);
            Assert.True(revalidated.Headers.CacheControl?.NoCache);
            AssertSecurityHeaders(revalidated);
        }

        var changed = await Conditional(path, [other]);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEmpty(await changed.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, changed.Headers.ETag);
    }

    [Fact]
    public async Task Assets_HaveDistinctETags_AndThePageNamesEveryScriptAndStyle()
    {
        var client = app.CreateClient();
        var etags = new List<string>();
        foreach (var file in Files)
            etags.Add((await client.GetAsync(file.Path)).Headers.ETag!.Tag);
        Assert.Equal(Files.Length, etags.Distinct().Count());

        var page = await client.GetStringAsync("/dashboard");
        foreach (var file in Files.Skip(1))
            Assert.Contains($"\"{file.Path}\"", page);
    }

    async Task<HttpResponseMessage> Conditional(string path, EntityTagHeaderValue[] tags)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var tag in tags)
            request.Headers.IfNoneMatch.Add(tag);
        return await app.CreateClient().SendAsync(request);
    }

    static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(Policy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}
