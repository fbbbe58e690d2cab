using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;
using Miso.Privacy.Webhooks;

namespace Miso.Privacy.Erasure;

/// <summary>
/// A create made ready outside any transaction (validated, subjects hashed, deadline set): what
/// <see cref="ErasureRequestStore.WriteAsync"/> turns into rows. Built afresh for every attempt to write it, so a
/// write that failed leaves nothing behind in the next one.
/// </summary>
public sealed record PreparedCreate(NewErasureRequest Command, string Actor, string? IdempotencyKey, byte[] Fingerprint,
    DateTimeOffset Now, string[] Environments, DateTimeOffset DueAt, IReadOnlyList<byte[]> UserIdHashes,
    IReadOnlyList<byte[]> AnonymousIdHashes, Action<PrivacyDbContext, ErasureRequest>? Attach)
{
    public int SubjectCount => UserIdHashes.Count + AnonymousIdHashes.Count;
}

/// <summary>Writes requests, their subjects, their suppressions and their audit events in one transaction.</summary>
public static class ErasureRequestStore
{
    /// <param name="configured">What a request that names no environment covers: every one configured now, written out.</param>
    /// <param name="attach">Adds rows of another feature that belong to the request (OpenDSR's), saved with it.</param>
    public static PreparedCreate Prepare(SubjectHasher hasher, Deadlines deadlines, EnvironmentNames configured, NewErasureRequest command,
        string actor, string? idempotencyKey, byte[] fingerprint, DateTimeOffset now, Action<PrivacyDbContext, ErasureRequest>? attach = null)
    {
        var submittedAt = AuditHashing.ToStoredPrecision(command.SubmittedAt ?? now);
        return new PreparedCreate(command, actor, idempotencyKey, fingerprint, now, [.. command.Environments ?? configured.All],
            deadlines.DueAt(command.Regulation, command.Type, submittedAt),
            [.. command.UserIds.Select(v => hasher.Hash(SubjectKind.UserId, v))],
            [.. command.AnonymousIds.Select(v => hasher.Hash(SubjectKind.AnonymousId, v))], attach);
    }

    /// <summary>
    /// Writes every create in one transaction: their rows in one round trip, then the ledger lock with the chain head,
    /// their suppressions in one statement, their audit events (and the outbox's deliveries) and the commit. Returns
    /// the requests as written, in the order given; their audit events are in <paramref name="db"/>'s change tracker.
    /// </summary>
    public static async Task<List<ErasureRequest>> WriteAsync(PrivacyDbContext db, SubjectHasher hasher,
        IReadOnlyList<PreparedCreate> creates, CancellationToken ct)
    {
        var built = creates.Select(Build).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // A failed SaveChanges fails the whole write (the transaction is rolled back), so EF Core's savepoint
        // before each SaveChanges, two extra round trips each, would never be rolled back to.
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            foreach (var (create, request, _, _) in built)
            {
                db.ErasureRequests.Add(request);
                if (create.Command.CallbackUrl is { } callbackUrl)
                    db.RequestCallbacks.Add(new RequestCallback { RequestId = request.Id, Url = callbackUrl, Format = StandardWebhooksFormat.FormatName, KeyName = create.Actor });
                create.Attach?.Invoke(db, request);
            }
            await db.SaveChangesAsync(ct);

            // The first append takes the ledger lock (with the chain head, in one round trip); the suppressions follow
            // under it. Their order inside the transaction does not matter: all commit, or none.
            foreach (var (create, _, entries, _) in built)
                await AuditLog.AppendAsync(db, create.Actor, create.Now, entries, ct);
            var suppressions = built.Where(b => b.ToSuppress.Count > 0)
                .Select(b => new SuppressionWrite(b.Request.Id, b.ToSuppress, b.Request.Environments!, b.Create.Now)).ToList();
            if (suppressions.Count > 0)
                await SuppressionWriter.SuppressAsync(db, hasher, suppressions, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }
        return built.Select(b => b.Request).ToList();
    }

    static (PreparedCreate Create, ErasureRequest Request, List<AuditEntry> Entries, List<SubjectToSuppress> ToSuppress) Build(PreparedCreate create)
    {
        var command = create.Command;
        var receivedAt = AuditHashing.ToStoredPrecision(create.Now);
        var request = new ErasureRequest
        {
            Id = Guid.CreateVersion7(create.Now),
            Regulation = command.Regulation,
            Status = RequestStatus.Pending,
            RequestedBy = command.RequestedBy,
            Reason = command.Reason,
            Ticket = command.Ticket,
            CreatedBy = create.Actor,
            IdempotencyKey = create.IdempotencyKey,
            Fingerprint = create.Fingerprint,
            ReceivedAt = receivedAt,
            SubmittedAt = command.SubmittedAt is { } s ? AuditHashing.ToStoredPrecision(s) : receivedAt,
            DueAt = create.DueAt,
            Type = command.Type,
            Environments = create.Environments,
            UserIdCount = command.UserIds.Count,
            AnonymousIdCount = command.AnonymousIds.Count,
        };
        var completesNow = RequestTypes.CompletesAtCreate(command.Type);
        request.Subjects.AddRange(command.UserIds.Select((v, i) => Subject(SubjectKind.UserId, v, create.UserIdHashes[i],
            completesNow ? SubjectStatus.SuppressedOnly : SubjectStatus.Pending)));
        request.Subjects.AddRange(command.AnonymousIds.Select((v, i) => Subject(SubjectKind.AnonymousId, v, create.AnonymousIdHashes[i],
            SubjectStatus.SuppressedOnly)));
        var toSuppress = RequestTypes.Suppresses(command.Type)
            ? request.Subjects.Select(s => new SubjectToSuppress(s.Kind, s.Value!, s.Hash)).ToList()
            : [];
        if (completesNow)
            CompleteAtCreate(request);

        var entries = new List<AuditEntry>
        {
            new("request.created", request.Id, null, new
            {
                regulation = SnakeCaseEnumConverter<Regulation>.ToText(request.Regulation),
                requested_by = request.RequestedBy,
                ticket = request.Ticket,
                user_ids = request.UserIdCount,
                anonymous_ids = request.AnonymousIdCount,
                subjects_digest = SubjectsDigest(request.Subjects),
                submitted_at = request.SubmittedAt,
                due_at = request.DueAt,
                type = SnakeCaseEnumConverter<RequestType>.ToText(request.Type),
                environments = request.Environments,
            }),
        };
        if (request.Status == RequestStatus.Completed)
            entries.Add(new AuditEntry("request.completed", request.Id));
        return (create, request, entries, toSuppress);
    }

    /// <summary>
    /// A suppress request's whole work is its suppressions, committed with it: it is completed in the same
    /// transaction, so the answer to the create call says so, and its raw ids are never stored (their lookup
    /// keys are computed from the ids at hand).
    /// </summary>
    static void CompleteAtCreate(ErasureRequest request)
    {
        request.Status = RequestStatus.Completed;
        request.CompletedAt = request.ReceivedAt;
        foreach (var subject in request.Subjects)
            subject.Value = null;
    }

    /// <summary>
    /// Binds the exact set of subjects into the audit chain with one event: SHA-256 over the sorted
    /// keyed hashes, which an auditor can recompute from the report's subject hashes.
    /// </summary>
    public static string SubjectsDigest(IEnumerable<RequestSubject> subjects)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var hash in subjects.Select(s => s.Hash).OrderBy(h => h, ByteOrder.Instance))
            sha.AppendData(hash);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    static RequestSubject Subject(SubjectKind kind, string value, byte[] hash, SubjectStatus status) =>
        new() { Kind = kind, Value = value, Hash = hash, Status = status };
}
