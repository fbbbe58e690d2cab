using System.Net;
using Miso.Privacy.IntegrationTests.Infrastructure;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Forwarding;

public sealed class UploadTests(ForwardingApp app) : IClassFixture<ForwardingApp>
{
    [Fact]
    public async Task ErasedAnonymousId_DropsEveryRecordCarryingIt_WhateverItsUserId()
    {
        var (anonymous, first, second, kept) = (NewId("anon"), NewId("with-anon"), NewId("also-anon"), NewId("kept"));
        await Erasures.CreateAsync(app.Management, [], System.Text.Json.JsonSerializer.Serialize(anonymous));

        Assert.Equal(2, await app.UploadOkAsync(Upload(Record(first, anonymous), Record(kept), Record(second, anonymous))));

        Assert.Empty(await app.Inspector.GetInteractionsAsync("production", anonymousId: anonymous));
        Assert.Single(await app.StoredForUserAsync(kept));
    }

    [Fact]
    public async Task EscapedIds_AndDuplicatedUserIdKeys_AreStillDropped()
    {
        var erased = NewId("5b09700");
        await Erasures.CreateAsync(app.Management, [erased]);
        var escaped = "\\u0035" + erased[1..];
        var duplicated = $$"""{"type": "home_page_view", "user_id": "{{NewId("decoy")}}", "user_id": "{{erased}}"}""";
        var escapedKey = $$"""{"type": "home_page_view", "user_\u0069d": "{{erased}}"}""";

        Assert.Equal(3, await app.UploadOkAsync(Upload(Record(escaped), duplicated, escapedKey)));
        Assert.Empty(await app.StoredForUserAsync(erased));
    }

    [Fact]
    public async Task AllRecordsDropped_AnswersMisoSuccess_WithoutCallingMiso()
    {
        var erased = NewId("all-dropped");
        await Erasures.CreateAsync(app.Management, [erased]);
        var before = (await app.Inspector.GetStatsAsync()).Uploads;

        Assert.Equal(2, await app.UploadOkAsync(Upload(Record(erased), Record(erased))));
        Assert.Equal(before, (await app.Inspector.GetStatsAsync()).Uploads);
    }

    [Fact]
    public async Task TextPlainBody_WithPublishableKeyInQuery_IsFilteredAndForwarded_WithoutSayingWhatWasDropped()
    {
        var (erased, kept) = (NewId("plain-erased"), NewId("plain-kept"));
        await Erasures.CreateAsync(app.Management, [erased]);

        var response = await app.UploadAsync(Upload(Record(erased), Record(kept)), Publishable, "text/plain", keyInQuery: true);

        Assert.Equal("success", (await response.JsonAsync(HttpStatusCode.OK)).Str("message"));
        AssertNoDroppedCount(response);
        Assert.Single(await app.StoredForUserAsync(kept));
        Assert.Empty(await app.StoredForUserAsync(erased));
    }

    [Fact]
    public async Task Preflight_IsAnsweredForAnyOrigin_WithTheHeadersTheSdkNeeds()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/interactions");
        preflight.Headers.Add("Origin", "https://shop.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key");

        var response = await app.CreateClient().SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        var allowed = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("content-type", allowed);
        Assert.Contains("x-api-key", allowed);
    }

    [Fact]
    public async Task SimpleBrowserRequest_WithPublishableKey_IsForwarded_AndExposesNothingOfOurs()
    {
        var (kept, erased) = (NewId("browser"), NewId("browser-erased"));
        await Erasures.CreateAsync(app.Management, [erased]);
        var response = await app.UploadAsync(Upload(Record(kept), Record(erased)), Publishable, "text/plain", origin: "https://shop.example");

        await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        AssertNoDroppedCount(response);
        Assert.Single(await app.StoredForUserAsync(kept));
        Assert.Empty(await app.StoredForUserAsync(erased));
    }

    [Fact]
    public async Task Preflight_ExposesNoHeaderOfOurs()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/v1/interactions");
        preflight.Headers.Add("Origin", "https://shop.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        var response = await app.CreateClient().SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task PublishableKey_WhenEveryRecordIsDropped_StillAsksMiso_WithNoRecordAndNoId()
    {
        var erased = NewId("all-dropped-publishable");
        await Erasures.CreateAsync(app.Management, [erased]);
        var before = (await app.Inspector.GetStatsAsync("production")).Uploads;

        var response = await app.UploadAsync(Upload(Record(erased), Record(erased)), Publishable);

        Assert.Equal("success", (await response.JsonAsync(HttpStatusCode.OK)).Str("message"));
        AssertNoDroppedCount(response);
        Assert.Equal(before + 1, (await app.Inspector.GetStatsAsync("production")).Uploads);
        var call = Assert.Single(await app.Inspector.GetCallsAsync("production", 1));
        Assert.Equal("/v1/interactions", call.Path);
        Assert.Empty(call.UserIds);
        Assert.Empty(await app.StoredForUserAsync(erased));
    }

    [Fact]
    public async Task SecretKeyFromABrowser_Gets403_AndIsNotForwarded()
    {
        var user = NewId("secret-in-browser");
        var response = await app.UploadAsync(Upload(Record(user)), Secret, "text/plain", origin: "https://shop.example");

        Assert.Contains("Secret API keys", (await response.JsonAsync(HttpStatusCode.Forbidden)).Str("message"));
        await AssertNeverCalledWithAsync(user);
    }

    [Fact]
    public async Task UnknownKey_GetsMisos401_AndNothingIsCalled()
    {
        var user = NewId("unknown-key");
        foreach (var inQuery in new[] { false, true })
        {
            var response = await app.UploadAsync(Upload(Record(user)), "not-a-configured-key", keyInQuery: inQuery);
            Assert.Equal("invalid api key.", (await response.JsonAsync(HttpStatusCode.Unauthorized)).Str("message"));
        }
        var missing = await app.CreateClient().PostJsonAsync("/v1/interactions", Upload(Record(user)));
        await missing.JsonAsync(HttpStatusCode.Unauthorized);
        await AssertNeverCalledWithAsync(user);
    }

    [Fact]
    public async Task BodyOverTheLimit_Gets413_InMisosShape()
    {
        var user = NewId("too-large");
        var records = Enumerable.Repeat(Record(user), 65536 / Record(user).Length + 1).ToArray();

        var response = await app.UploadAsync(Upload(records));

        Assert.Contains("65536", (await response.JsonAsync(HttpStatusCode.RequestEntityTooLarge)).Str("message"));
        await AssertNeverCalledWithAsync(user);
    }

    [Fact]
    public async Task MalformedJson_Gets400_InMisosShape()
    {
        var response = await app.UploadAsync("""{"data": [{"user_id": "x",}""");

        var body = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.True(body.GetProperty("errors").GetBoolean());
        Assert.StartsWith("Request body is not valid JSON.", body.Str("message"));
    }

    [Theory]
    [InlineData("""{"data": {"user_id": "x"}}""", "type 'object'")]
    [InlineData("""{"data": "x"}""", "type 'string'")]
    [InlineData("""[]""", "type 'array'")]
    [InlineData("""{}""", "required")]
    public async Task NotAnUpload_Gets422_InMisosShape(string body, string expected)
    {
        var answer = await (await app.UploadAsync(body)).JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains(expected, Assert.Single(answer.GetProperty("data").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task EmptyData_IsForwarded_AndMisosAnswerRelayed()
    {
        var before = (await app.Inspector.GetStatsAsync("production")).Uploads;
        Assert.Equal(0, await app.UploadOkAsync("""{"data": []}"""));
        Assert.Equal(before + 1, (await app.Inspector.GetStatsAsync("production")).Uploads);
    }

    [Fact]
    public async Task RecordThatIsNotAnObject_IsLeftForMisoToReject_AtTheCallersPosition()
    {
        var erased = NewId("before-the-string");
        await Erasures.CreateAsync(app.Management, [erased]);

        var response = await app.UploadAsync(Upload(Record(erased), Record(NewId("fine")), "\"not a record\""));

        var answer = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, Dropped(response));
        Assert.StartsWith("data.2 ", Assert.Single(answer.GetProperty("data").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Miso422_IsRelayed_WithPositionsMappedBackToTheCallersRecords()
    {
        var (zero, two) = (NewId("drop-0"), NewId("drop-2"));
        await Erasures.CreateAsync(app.Management, [zero, two]);
        var invalid = $$"""{"type": "product_detail_page_view", "user_id": "{{NewId("bad")}}", "product_ids": "not-a-list"}""";

        var response = await app.UploadAsync(Upload(Record(zero), Record(NewId("one")), Record(two), invalid, Record(NewId("four"))));

        var answer = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2, Dropped(response));
        Assert.True(answer.GetProperty("errors").GetBoolean());
        var message = Assert.Single(answer.GetProperty("data").EnumerateArray()).GetString()!;
        Assert.StartsWith("data.3.product_ids is invalid.", message);
    }

    [Fact]
    public async Task Ready_CoversTheSuppressionSet()
    {
        var response = await app.CreateClient().GetAsync("/health/ready");
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    async Task AssertNeverCalledWithAsync(string userId)
    {
        var calls = await app.Inspector.GetCallsAsync(null, 100_000);
        Assert.DoesNotContain(calls, c => c.UserIds.Contains(userId));
    }
}
