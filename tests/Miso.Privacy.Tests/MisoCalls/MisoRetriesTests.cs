using System.Net;
using Miso.Privacy.Miso;
using Polly;
using Polly.Timeout;

namespace Miso.Privacy.Tests.MisoCalls;

/// <summary>Which failed calls the HTTP layer sends again: idempotency decides, not the rate gate.</summary>
public sealed class MisoRetriesTests
{
    static HttpRequestMessage Call(bool idempotent, bool rateLimited)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "http://miso.invalid/v1/interactions");
        request.Options.Set(MisoRequestOptions.Idempotent, idempotent);
        request.Options.Set(MisoRequestOptions.RateLimited, rateLimited);
        return request;
    }

    static Outcome<HttpResponseMessage> Answer(int status, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status);
        if (retryAfter is { } after) response.Headers.RetryAfter = new(after);
        return Outcome.FromResult(response);
    }

    static Outcome<HttpResponseMessage> Failure(Exception e) => Outcome.FromException<HttpResponseMessage>(e);

    public static TheoryData<string, Outcome<HttpResponseMessage>> MayHaveBeenStored() => new()
    {
        { "500", Answer(500) },
        { "502", Answer(502) },
        { "504", Answer(504) },
        { "408", Answer(408) },
        { "attempt timeout", Failure(new TimeoutRejectedException()) },
        { "connection dropped mid-request", Failure(new HttpRequestException(HttpRequestError.ResponseEnded, "ended")) },
    };

    public static TheoryData<string, Outcome<HttpResponseMessage>> NeverStored() => new()
    {
        { "429", Answer(429) },
        { "503", Answer(503) },
        { "connection refused", Failure(new HttpRequestException(HttpRequestError.ConnectionError, "refused")) },
    };

    [Theory]
    [MemberData(nameof(MayHaveBeenStored))]
    public void ShouldRetry_IsFalseForAnUpload_WhenMisoMayHaveStoredIt(string fault, Outcome<HttpResponseMessage> outcome)
    {
        Assert.False(MisoRetries.ShouldRetry(outcome, Call(idempotent: false, rateLimited: false)), fault);
        // The bug this flag fixes: passing the rate gate once made a call count as a deletion.
        Assert.False(MisoRetries.ShouldRetry(outcome, Call(idempotent: false, rateLimited: true)), fault);
        Assert.False(MisoRetries.ShouldRetry(outcome, null), fault);
    }

    [Theory]
    [MemberData(nameof(MayHaveBeenStored))]
    [MemberData(nameof(NeverStored))]
    public void ShouldRetry_IsTrueForADeletion_OnAnyTransientFault(string fault, Outcome<HttpResponseMessage> outcome)
    {
        Assert.True(MisoRetries.ShouldRetry(outcome, Call(idempotent: true, rateLimited: true)), fault);
        Assert.True(MisoRetries.ShouldRetry(outcome, Call(idempotent: true, rateLimited: false)), fault);
    }

    [Theory]
    [MemberData(nameof(NeverStored))]
    public void ShouldRetry_IsTrueForAnUpload_WhenMisoCannotHaveStoredIt(string fault, Outcome<HttpResponseMessage> outcome) =>
        Assert.True(MisoRetries.ShouldRetry(outcome, Call(idempotent: false, rateLimited: false)), fault);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ShouldRetry_IsFalse_ForSuccessAClientErrorOrALongRetryAfter(bool idempotent)
    {
        Assert.False(MisoRetries.ShouldRetry(Answer(200), Call(idempotent, false)));
        Assert.False(MisoRetries.ShouldRetry(Answer(400), Call(idempotent, false)));
        Assert.False(MisoRetries.ShouldRetry(Answer(429, MisoRetries.LongestInCallWait + TimeSpan.FromSeconds(1)), Call(idempotent, true)));
        Assert.True(MisoRetries.ShouldRetry(Answer(429, TimeSpan.FromSeconds(1)), Call(idempotent, true)));
    }
}
