using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.OpenDsr;

/// <summary>
/// The OpenDSR processor as a controller sees it: discovery, create, status and cancel, every answer checked against the
/// certificate discovery names. No job workers run here, so a request stays pending until the test moves it.
/// </summary>
public sealed class OpenDsrProcessorTests(OpenDsrApp app) : IClassFixture<OpenDsrApp>
{
    readonly HttpClient _controller = app.ClientFor(TestKeys.All);

    static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    static string Body(Guid id, string regulation = "gdpr", string? identities = null, string extra = "", DateTimeOffset? submitted = null) => $$"""
        {"subject_request_id": "{{id}}", "subject_request_type": "erasure", "regulation": "{{regulation}}",
         "submitted_time": "{{Time(submitted ?? DateTimeOffset.UtcNow.AddDays(-3))}}",
         "subject_identities": {{identities ?? """[{"identity_type": "controller_customer_id", "identity_value": "dsr-user-1", "identity_format": "raw"}]"""}}{{extra}}}
        """;

    async Task<OpenDsrVerifier> VerifierAsync() => await OpenDsrVerifier.FromDiscoveryAsync(app.ClientFor(null));

    async Task<(HttpResponseMessage Response, JsonElement Json)> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using var message = new HttpRequestMessage(method, path);
        if (body is not null)
            message.Content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await client.SendAsync(message);
        var bytes = await (await VerifierAsync()).AssertSignedAsync(response);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response, JsonDocument.Parse(bytes).RootElement.Clone());
    }

    async Task<Guid> RequestIdAsync(Guid subjectRequestId)
    {
        await using var db = app.NewDb();
        return await db.OpenDsrRequests.Where(o => o.SubjectRequestId == subjectRequestId).Select(o => o.RequestId).SingleAsync();
    }

    async Task SetStatusAsync(Guid requestId, string status)
    {
        await using var db = app.NewDb();
        await db.Database.ExecuteSqlAsync($"UPDATE privacy.erasure_requests SET status = {status} WHERE id = {requestId}");
    }

    [Fact]
    public async Task Discovery_IsPublic_AndNamesTheCertificate_ThatSignsIt()
    {
        var anonymous = app.ClientFor(null);
        var response = await anonymous.GetAsync("/opendsr/v1/discovery");
        var verifier = await VerifierAsync();
        var discovery = JsonDocument.Parse(await verifier.AssertSignedAsync(response)).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2.0", discovery.Str("api_version"));
        var identity = Assert.Single(discovery.GetProperty("supported_identities").EnumerateArray());
        Assert.Equal(("controller_customer_id", "raw"), (identity.Str("identity_type"), identity.Str("identity_format")));
        Assert.Equal(["erasure"], discovery.GetProperty("supported_subject_request_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("http://localhost/opendsr/v1/certificate", discovery.Str("processor_certificate"));

        var certificate = await anonymous.GetAsync("/opendsr/v1/certificate");
        Assert.Equal(HttpStatusCode.OK, certificate.StatusCode);
        Assert.Equal("application/x-pem-file", certificate.Content.Headers.ContentType?.MediaType);
        Assert.Equal(OpenDsrKeys.CertificatePem.Trim(), (await certificate.Content.ReadAsStringAsync()).Trim());
        Assert.True(verifier.Certificate.MatchesHostname(OpenDsrKeys.Domain));
    }

    [Fact]
    public async Task Create_IsSigned_StartsTheLegalClock_MapsBothIdentities_AndTheSameRequestAgainAnswersTheSame()
    {
        var id = Guid.NewGuid();
        var submitted = DateTimeOffset.UtcNow.AddDays(-2);
        var body = Body(id, "ccpa", submitted: submitted, extra: """
            , "api_version": "2.0", "status_callback_urls": ["https://controller.example.com/opendsr/callbacks"],
              "extensions": {"localhost": {"anonymous_ids": ["dsr-anon-1"]}, "other-processor.example": {"anything": [1, 2]}}
            """);
        var (response, created) = await SendAsync(_controller, HttpMethod.Post, "/opendsr/v1/requests", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["controller_id", "expected_completion_time", "received_time", "encoded_request", "subject_request_id"],
            created.EnumerateObject().Select(p => p.Name));
        Assert.Equal(TestKeys.All.Name, created.Str("controller_id"));
        Assert.Equal(id.ToString(), created.Str("subject_request_id"));
        Assert.Equal(Encoding.UTF8.GetBytes(body), Convert.FromBase64String(created.Str("encoded_request")));
        Assert.Equal("X-OpenDSR-Processor-Domain", response.Headers.First(h => h.Key.Equals("X-OpenDSR-Processor-Domain", StringComparison.OrdinalIgnoreCase)).Key);
        Assert.Equal(OpenDsrKeys.Domain, response.Headers.GetValues("X-OpenDSR-Processor-Domain").Single());

        // An ordinary erasure request: the regulation's clock from submitted_time, the subjects mapped, the controller's id as ticket.
        var request = await (await _controller.GetAsync($"/api/v1/erasure-requests/{await RequestIdAsync(id)}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("ccpa", "pending", id.ToString()), (request.Str("regulation"), request.Str("status"), request.Str("ticket")));
        Assert.Equal(Time(submitted), Time(request.GetProperty("submitted_at").GetDateTimeOffset()));
        Assert.Equal(request.GetProperty("due_at").GetDateTimeOffset(), created.GetProperty("expected_completion_time").GetDateTimeOffset());
        Assert.InRange(request.GetProperty("due_at").GetDateTimeOffset(), submitted.AddDays(44), submitted.AddDays(47));
        Assert.Equal(request.GetProperty("received_at").GetDateTimeOffset(), created.GetProperty("received_time").GetDateTimeOffset());
        Assert.Equal((1, 1), (request.GetProperty("counts").GetProperty("user_ids").GetInt32(), request.GetProperty("counts").GetProperty("anonymous_ids").GetInt32()));

        // subject_request_id is the idempotency key: the same request answers as the first time and writes nothing.
        var requests = await app.CountAsync("erasure_requests");
        var (again, replay) = await SendAsync(_controller, HttpMethod.Post, "/opendsr/v1/requests", body);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(created.ToString(), replay.ToString());
        var (conflict, error) = await SendAsync(_controller, HttpMethod.Post, "/opendsr/v1/requests", Body(id, "gdpr"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal(409, error.GetProperty("error").GetProperty("code").GetInt32());
        Assert.StartsWith("subject_request_id", error.GetProperty("error").GetProperty("errors")[0].Str("message"));
        Assert.Equal(requests, await app.CountAsync("erasure_requests"));
    }

    [Fact]
    public async Task Status_IsSigned_ReportsFailedAsInProgressWithOurExtension_AndIsNotFoundForAnotherController()
    {
        var id = Guid.NewGuid();
        await SendAsync(_controller, HttpMethod.Post, "/opendsr/v1/requests", Body(id));
        var (response, status) = await SendAsync(_controller, HttpMethod.Get, $"/opendsr/v1/requests/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((TestKeys.All.Name, id.ToString(), "pending", "2.0"),
            (status.Str("controller_id"), status.Str("subject_request_id"), status.Str("request_status"), status.Str("api_version")));
        Assert.True(status.GetProperty("expected_completion_time").TryGetDateTimeOffset(out _));
        Assert.Equal("pending", status.GetProperty("extensions").GetProperty(OpenDsrKeys.Domain).Str("status"));

        var requestId = await RequestIdAsync(id);
        foreach (var (ours, theirs) in new[] { ("in_progress", "in_progress"), ("failed", "in_progress"), ("completed", "completed") })
        {
            await SetStatusAsync(requestId, ours);
            var (_, now) = await SendAsync(_controller, HttpMethod.Get, $"/opendsr/v1/requests/{id}");
            Assert.Equal(theirs, now.Str("request_status"));
            var extension = now.GetProperty("extensions").GetProperty(OpenDsrKeys.Domain);
            Assert.Equal(ours, extension.Str("status"));
            Assert.Equal(ours == "failed", extension.TryGetProperty("failure", out _));
        }

        // Another key is another controller: its view has no such request, and it cannot tell that one exists.
        var (other, missing) = await SendAsync(app.ClientFor(TestKeys.Reader), HttpMethod.Get, $"/opendsr/v1/requests/{id}");
        var (unknown, alsoMissing) = await SendAsync(_controller, HttpMethod.Get, $"/opendsr/v1/requests/{Guid.NewGuid()}");
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (other.StatusCode, unknown.StatusCode));
        Assert.Equal(alsoMissing.GetProperty("error").GetProperty("errors")[0].Str("reason"), missing.GetProperty("error").GetProperty("errors")[0].Str("reason"));
        var (malformed, _) = await SendAsync(_controller, HttpMethod.Get, "/opendsr/v1/requests/not-a-uuid");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task Cancel_WhilePending_Is202AndSigned_ThenA409_AsForARequestAlreadyUnderWay()
    {
        var id = Guid.NewGuid();
        await SendAsync(_controller, HttpMethod.Post, "/opendsr/v1/requests", Body(id));
        var (response, cancelled) = await SendAsync(_controller, HttpMethod.Delete, $"/opendsr/v1/requests/{id}");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal((TestKeys.All.Name, id.ToString(), "2.0"), (cancelled.Str("controller_id"), cancelled.Str("subject_request_id"), cancelled.Str("api_version")));
        Assert.True(cancelled.GetProperty("received_time").TryGetDateTimeOffset(out _));
        var (_, status) = await SendAsync(_controller, HttpMethod.Get, $"/opendsr/v1/requests/{id}");
        Assert.Equal("cancelled", status.Str("request_status"));
        var request = await (await _controller.GetAsync($"/api/v1/erasure-requests/{await RequestIdAsync(id)}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", request.Str("status"));

        var (again, refused) = await SendAsync(_controller, HttpMethod.Delete, $"/opendsr/v1/requests/{id}");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(409, refused.GetProperty("error").GetProperty("code").GetInt32());

        var started = Guid.NewGuid();
        await SendAsync(_controller, HttpMethod.Post, "/opendsr/v1/requests", Body(started));
        await SetStatusAsync(await RequestIdAsync(started), "in_progress");
        var (underWay, _) = await SendAsync(_controller, HttpMethod.Delete, $"/opendsr/v1/requests/{started}");
        Assert.Equal(HttpStatusCode.Conflict, underWay.StatusCode);
        var (notTheirs, _) = await SendAsync(app.ClientFor(TestKeys.Writer), HttpMethod.Delete, $"/opendsr/v1/requests/{id}");
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
    }

    const string Secret = "secret-person@example.com";

    public static TheoryData<string, string> BadRequests()
    {
        var id = Guid.NewGuid();
        string Identity(string type, string format, string value = Secret) =>
            $$"""[{"identity_type": "{{type}}", "identity_value": "{{value}}", "identity_format": "{{format}}"}]""";
        return new()
        {
            { "this is not json " + Secret, "body" },
            { $"[\"{Secret}\"]", "body" },
            { Body(id).Replace($"\"subject_request_id\": \"{id}\",", ""), "subject_request_id" },
            { Body(id).Replace(id.ToString(), id.ToString().ToUpperInvariant()), "subject_request_id" },
            { Body(id).Replace(id.ToString(), "a7551968-d5d6-14b2-9831-815ac9017798"), "subject_request_id" },
            { Body(id, "lgpd"), "regulation" },
            { Body(id).Replace("\"erasure\"", "\"access\""), "subject_request_type" },
            { Body(id).Replace("\"erasure\"", "\"forget-me\""), "subject_request_type" },
            { Body(id, submitted: DateTimeOffset.UtcNow.AddDays(2)), "submitted_time" },
            { Body(id).Replace("\"submitted_time\": \"", "\"submitted_time\": \"yesterday "), "submitted_time" },
            { Body(id, identities: Identity("email", "raw")), "subject_identities[0].identity_type" },
            { Body(id, identities: Identity("favourite_colour", "raw")), "subject_identities[0].identity_type" },
            { Body(id, identities: Identity("controller_customer_id", "sha256")), "subject_identities[0].identity_format" },
            { Body(id, identities: Identity("controller_customer_id", "raw", "")), "subject_identities" },
            { Body(id, identities: "[]"), "subject_identities" },
            { Body(id, identities: $$"""[{"identity_type": "controller_customer_id", "identity_value": 12, "identity_format": "raw"}]"""), "subject_identities[0].identity_value" },
            { Body(id, identities: $$"""[{"identity_type": "controller_customer_id", "identity_value": "{{Secret}}", "identity_format": "raw", "{{Secret}}": 1}]"""), "subject_identities[0]" },
            { Body(id, extra: $", \"{Secret}\": true"), "body" },
            { Body(id, extra: ", \"regulation\": \"gdpr\""), "regulation" },
            { Body(id, extra: ", \"api_version\": \"1.0\""), "api_version" },
            { Body(id, extra: ", \"status_callback_urls\": [\"ftp://controller.example.com/cb\"]"), "status_callback_urls[0]" },
            { Body(id, extra: ", \"status_callback_urls\": [\"http://127.0.0.1:9/cb\"]"), "status_callback_urls[0]" },
            { Body(id, extra: ", \"status_callback_urls\": [\"http://169.254.169.254/latest\"]"), "status_callback_urls[0]" },
            { Body(id, extra: ", \"status_callback_urls\": [\"https://a.example.com/\", \"https://a.example.com/\"]"), "status_callback_urls[1]" },
            { Body(id, extra: ", \"status_callback_urls\": \"https://a.example.com/\""), "status_callback_urls" },
            { Body(id, extra: $", \"extensions\": {{\"localhost\": {{\"anonymous_ids\": \"{Secret}\"}}}}"), "extensions.localhost.anonymous_ids" },
            { Body(id, extra: $", \"extensions\": {{\"localhost\": {{\"anonymous_ids\": [7]}}}}"), "extensions.localhost.anonymous_ids[0]" },
        };
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task EachBadRequest_Is400_WithTheSpecsErrorObject_Signed_NamingTheField_NeverAnIdentity_AndWritesNothing(string body, string field)
    {
        var (requests, opendsr) = (await app.CountAsync("erasure_requests"), await app.CountAsync("opendsr_requests"));
        var (response, json) = await SendAsync(_controller, HttpMethod.Post, "/opendsr/v1/requests", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = json.GetProperty("error");
        Assert.Equal(400, error.GetProperty("code").GetInt32());
        Assert.True(error.GetProperty("message").GetString()!.Length > 0);
        var details = error.GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(details, d => d.Str("message").StartsWith(field + ":", StringComparison.Ordinal) && d.Str("domain").Length > 0 && d.Str("reason").Length > 0);
        Assert.DoesNotContain(Secret, json.ToString());
        Assert.DoesNotContain("secret-person", json.ToString());
        Assert.Equal((requests, opendsr), (await app.CountAsync("erasure_requests"), await app.CountAsync("opendsr_requests")));
    }

    [Fact]
    public async Task ABodyThatIsNotJson_Is415_AndAHugeOne413_BothSigned()
    {
        using var text = new HttpRequestMessage(HttpMethod.Post, "/opendsr/v1/requests") { Content = new StringContent(Body(Guid.NewGuid()), Encoding.UTF8, "text/plain") };
        var response = await _controller.SendAsync(text);
        await (await VerifierAsync()).AssertSignedAsync(response);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);

        var huge = Body(Guid.NewGuid(), extra: $", \"extensions\": {{\"x.example\": \"{new string('x', 5 * 1024 * 1024)}\"}}");
        var (tooLarge, _) = await SendAsync(_controller, HttpMethod.Post, "/opendsr/v1/requests", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }
}
