using Microsoft.Extensions.Time.Testing;
using Miso.Privacy.Erasure;

namespace Miso.Privacy.Tests.Erasure;

/// <summary>When a request may be extended, on a fake clock: each rule, its refusal, and the field and status it names.</summary>
public sealed class ExtensionRulesTests
{
    static readonly DateTimeOffset Submitted = new(2026, 10, 1, 9, 0, 0, TimeSpan.Zero);

    static ErasureRequest Request(Regulation regulation = Regulation.Gdpr, RequestStatus status = RequestStatus.InProgress,
        DateTimeOffset? extendedAt = null) => new()
    {
        RequestedBy = "t", CreatedBy = "t", Regulation = regulation, Status = status, SubmittedAt = Submitted,
        ReceivedAt = Submitted, DueAt = Deadlines.Default.DueAt(regulation, RequestType.Erase, Submitted), ExtendedAt = extendedAt,
    };

    [Fact]
    public void Gdpr_IsExtendedByTwoMonths_FromItsOriginalDueDate()
    {
        var clock = new FakeTimeProvider(Submitted.AddDays(20));
        var (dueAt, refusal) = ExtensionRules.Check(Request(), Submitted.AddDays(10), clock.GetUtcNow(), Deadlines.Default);
        Assert.Null(refusal);
        Assert.Equal(new DateTimeOffset(2027, 1, 2, 0, 0, 0, TimeSpan.Zero).AddTicks(-10), dueAt);
    }

    [Fact]
    public void Ccpa_IsExtendedBy45Days_UpToTheLastMicrosecondOfItsDueDate()
    {
        var request = Request(Regulation.Ccpa);
        var clock = new FakeTimeProvider(request.DueAt);
        var (dueAt, refusal) = ExtensionRules.Check(request, Submitted, clock.GetUtcNow(), Deadlines.Default);
        Assert.Null(refusal);
        Assert.Equal(request.DueAt.AddDays(45), dueAt);

        clock.Advance(TimeSpan.FromTicks(10));
        Assert.Equal(("due_at", 409), Refusal(request, Submitted, clock));
    }

    [Theory]
    [InlineData(RequestStatus.Pending, null, 0)]
    [InlineData(RequestStatus.Failed, null, 0)]
    [InlineData(RequestStatus.Completed, "status", 409)]
    [InlineData(RequestStatus.Cancelled, "status", 409)]
    public void OnlyAnOpenRequest_CanBeExtended(RequestStatus status, string? field, int code)
    {
        var clock = new FakeTimeProvider(Submitted.AddDays(1));
        Assert.Equal((field, code), Refusal(Request(status: status), Submitted, clock));
    }

    [Fact]
    public void ARequest_IsExtendedOnce()
    {
        var clock = new FakeTimeProvider(Submitted.AddDays(3));
        Assert.Equal(("extended_at", 409), Refusal(Request(extendedAt: Submitted.AddDays(2)), Submitted, clock));
    }

    [Fact]
    public void Other_CannotBeExtended_UnlessConfigured()
    {
        var clock = new FakeTimeProvider(Submitted.AddDays(3));
        var request = Request(Regulation.Other);
        Assert.Equal(("regulation", 409), Refusal(request, Submitted, clock));
        var (dueAt, refusal) = ExtensionRules.Check(request, Submitted, clock.GetUtcNow(), new Deadlines(TimeZoneInfo.Utc, 30, 10));
        Assert.Null(refusal);
        Assert.Equal(request.DueAt.AddDays(10), dueAt);
    }

    [Fact]
    public void TheNotice_LiesBetweenSubmissionAndNow()
    {
        var clock = new FakeTimeProvider(Submitted.AddDays(3));
        var request = Request();
        Assert.Equal(("notified_at", 400), Refusal(request, Submitted.AddTicks(-10), clock));
        Assert.Equal(((string?)null, 0), Refusal(request, Submitted, clock));
        Assert.Equal(((string?)null, 0), Refusal(request, clock.GetUtcNow(), clock));
        Assert.Equal(("notified_at", 400), Refusal(request, clock.GetUtcNow().AddSeconds(1), clock));
    }

    [Fact]
    public void TheStateRules_ComeBeforeTheNotice()
    {
        var clock = new FakeTimeProvider(Submitted.AddDays(60));
        Assert.Equal(("due_at", 409), Refusal(Request(), Submitted.AddDays(-1), clock));
    }

    [Theory]
    [InlineData(null, "2026-10-02T00:00:00Z", "reason")]
    [InlineData("   ", "2026-10-02T00:00:00Z", "reason")]
    [InlineData("nul\0", "2026-10-02T00:00:00Z", "reason")]
    [InlineData("complex", null, "notified_at")]
    [InlineData("complex", "2026-10-04T00:00:01Z", "notified_at")]
    public void TheBody_NamesTheFieldItGotWrong(string? reason, string? notifiedAt, string field)
    {
        var body = new ExtendBody(reason, notifiedAt is null ? null : DateTimeOffset.Parse(notifiedAt));
        Assert.Equal([field], body.Validate(new DateTimeOffset(2026, 10, 4, 0, 0, 0, TimeSpan.Zero))!.Keys);
    }

    [Fact]
    public void TheBody_AcceptsALongReasonUpToTheLimit()
    {
        var now = new DateTimeOffset(2026, 10, 4, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(new ExtendBody(new string('r', 2000), now).Validate(now));
        Assert.Equal(["reason"], new ExtendBody(new string('r', 2001), now).Validate(now)!.Keys);
    }

    static (string? Field, int Status) Refusal(ErasureRequest request, DateTimeOffset notifiedAt, TimeProvider clock) =>
        ExtensionRules.Check(request, notifiedAt, clock.GetUtcNow(), Deadlines.Default).Refusal is { } r ? (r.Field, r.Status) : (null, 0);
}
