using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.Erasure;
using Miso.Privacy.Forwarding;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>
/// The service in front of an emulator, without Hangfire workers: no erasure is carried out at the emulator, so
/// whatever an upload leaked stays there to be found.
/// </summary>
public class ForwardingApp : ExecutionApp
{
    public const string Secret = "emu-production-secret-key";
    public const string Publishable = "emu-production-publishable-key";
    public const string DevelopmentSecret = "emu-development-secret-key";
    public const string DevelopmentPublishable = "emu-development-publishable-key";

    public ForwardingApp()
    {
        ExtraSettings["Execution:RunServer"] = "false";
        ExtraSettings["Forwarding:MaxBodyBytes"] = "65536";
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Configure();
        // Hangfire keeps its log provider in a static, pointing at the host that configured it last; once that
        // host (another test class's) is disposed, building a job client fails. Build ours now, while ours is current.
        _ = Services.GetRequiredService<ErasureNotifications>();
    }

    /// <summary>Settings that depend on the emulator, applied before the host starts.</summary>
    protected virtual void Configure() { }

    public HttpClient Management => ClientFor(TestKeys.All);

    public Task<HttpResponseMessage> UploadAsync(string body, string key = Secret, string contentType = "application/json",
        string? origin = null, bool keyInQuery = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, keyInQuery ? $"/v1/interactions?api_key={Uri.EscapeDataString(key)}" : "/v1/interactions")
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        if (!keyInQuery) request.Headers.Add("X-API-KEY", key);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return CreateClient().SendAsync(request);
    }

    /// <summary>Uploads and asserts Miso's success answer; returns how many records the service dropped.</summary>
    public async Task<int> UploadOkAsync(string body, string key = Secret)
    {
        var response = await UploadAsync(body, key);
        Assert.Equal("success", (await response.JsonAsync(HttpStatusCode.OK)).Str("message"));
        return Dropped(response);
    }

    public static int Dropped(HttpResponseMessage response) =>
        int.Parse(Assert.Single(response.Headers.GetValues(UploadInteractions.DroppedHeader)), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A publishable key's caller must not learn whether anything was dropped.</summary>
    public static void AssertNoDroppedCount(HttpResponseMessage response)
    {
        Assert.False(response.Headers.Contains(UploadInteractions.DroppedHeader), "A publishable-key answer carries the dropped count.");
        Assert.False(response.Headers.Contains("Access-Control-Expose-Headers"), "A browser is shown a header of ours.");
    }

    public async Task<IReadOnlyList<string>> StoredForUserAsync(string userId, string environment = "production") =>
        (await Inspector.GetInteractionsAsync(environment, userId: userId)).Select(r => r.GetRawText()).ToList();

    /// <summary>Creates an erasure request through the management API for the environments named; returns its id.</summary>
    public async Task<string> EraseInAsync(string userId, params string[] environments)
    {
        var body = $$"""{"user_ids": [{{System.Text.Json.JsonSerializer.Serialize(userId)}}], "requested_by": "test", "environments": {{System.Text.Json.JsonSerializer.Serialize(environments)}}}""";
        using var management = Management;
        return (await (await management.PostJsonAsync("/api/v1/erasure-requests", body)).JsonAsync(HttpStatusCode.Created)).Str("id");
    }

    public static string Upload(params string[] records) => "{\"data\": [" + string.Join(",", records) + "]}";

    public static string Record(string userId, string? anonymousId = null) => anonymousId is null
        ? $$"""{"type": "home_page_view", "user_id": "{{userId}}"}"""
        : $$"""{"type": "home_page_view", "user_id": "{{userId}}", "anonymous_id": "{{anonymousId}}"}""";

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
