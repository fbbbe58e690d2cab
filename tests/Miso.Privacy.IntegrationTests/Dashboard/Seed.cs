using Microsoft.Extensions.Options;
using Miso.Privacy.Audit;
using Miso.Privacy.Erasure;
using Miso.Privacy.Execution;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.IntegrationTests.Dashboard;

public sealed record SeedWork(string Environment, WorkItemState State, DateTimeOffset? DeletedAt = null)
{
    public MisoOperation[] Operations { get; init; } = [MisoOperation.DeleteInteractions];
}

/// <summary>One request to seed straight into the tables, with its subjects' raw ids and its work items.</summary>
public sealed record SeedRequest(RequestStatus Status, DateTimeOffset ReceivedAt, DateTimeOffset DueAt)
{
    public Regulation Regulation { get; init; } = Regulation.Gdpr;
    public DateTimeOffset? CompletedAt { get; init; }
    public string? Ticket { get; init; }
    public string[] UserIds { get; init; } = [];
    public string[] AnonymousIds { get; init; } = [];
    public SeedWork[] Work { get; init; } = [];
    public int MisoCalls { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }
    public RequestType Type { get; init; } = RequestType.Erase;
    public DateTimeOffset? OriginalDueAt { get; init; }
    public DateTimeOffset? ExtendedAt { get; init; }

    /// <summary>The environments recorded on the request; null as on requests filed before they were recorded.</summary>
    public string[]? Environments { get; init; }
}

/// <summary>Inserts entities directly and their audit events through the real chain, in one transaction.</summary>
public static class Seed
{
    public static readonly SubjectHasher Hasher = new(Options.Create(new SubjectHashingOptions { SubjectHashKey = TestKeys.SubjectHashKey }));

    public static async Task<List<ErasureRequest>> RequestsAsync(PrivacyApp app, params SeedRequest[] seeds)
    {
        await using var db = app.NewDb();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var created = new List<ErasureRequest>();
        foreach (var seed in seeds)
        {
            var request = new ErasureRequest
            {
                Id = Guid.NewGuid(), Regulation = seed.Regulation, Status = seed.Status, RequestedBy = "support:seed",
                Ticket = seed.Ticket, CreatedBy = "seed", ReceivedAt = seed.ReceivedAt, SubmittedAt = seed.SubmittedAt ?? seed.ReceivedAt,
                DueAt = seed.DueAt, CompletedAt = seed.CompletedAt, UserIdCount = seed.UserIds.Length,
                AnonymousIdCount = seed.AnonymousIds.Length, MisoCalls = seed.MisoCalls, Environments = seed.Environments,
                CancelledAt = seed.Status == RequestStatus.Cancelled ? seed.ReceivedAt.AddHours(1) : null,
                Type = seed.Type, OriginalDueAt = seed.OriginalDueAt, ExtendedAt = seed.ExtendedAt,
                ExtensionReason = seed.ExtendedAt is null ? null : "seeded extension", NotifiedAt = seed.ExtendedAt,
            };
            request.Subjects.AddRange(seed.UserIds.Select(v => Subject(SubjectKind.UserId, v, seed.Status)));
            request.Subjects.AddRange(seed.AnonymousIds.Select(v => Subject(SubjectKind.AnonymousId, v, seed.Status)));
            db.ErasureRequests.Add(request);
            await db.SaveChangesAsync();
            foreach (var subject in request.Subjects.Where(s => s.Kind == SubjectKind.UserId))
                foreach (var work in seed.Work)
                    foreach (var operation in work.Operations)
                        db.WorkItems.Add(new WorkItem
                        {
                            RequestId = request.Id, SubjectId = subject.Id, Environment = work.Environment,
                            Operation = operation, State = work.State, CreatedAt = seed.ReceivedAt,
                            NextAttemptAt = seed.ReceivedAt, DeletedAt = work.DeletedAt,
                        });
            if (seed.Status != RequestStatus.Cancelled && RequestTypes.Suppresses(seed.Type))
                foreach (var subject in request.Subjects)
                    db.Suppressions.Add(new Suppression { Kind = subject.Kind, Hash = subject.Hash, CreatedAt = seed.ReceivedAt, RequestId = request.Id });
            await AuditLog.AppendAsync(db, "seed", DateTimeOffset.UtcNow, new AuditEntry("request.created", request.Id), default);
            await db.SaveChangesAsync();
            created.Add(request);
        }
        await transaction.CommitAsync();
        return created;
    }

    static RequestSubject Subject(SubjectKind kind, string value, RequestStatus status) => new()
    {
        Kind = kind, Value = value, Hash = Hasher.Hash(kind, value),
        Status = status == RequestStatus.Completed ? SubjectStatus.Deleted : SubjectStatus.Pending,
    };
}
