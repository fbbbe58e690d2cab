using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;
using Miso.Privacy.Webhooks;

namespace Miso.Privacy.Erasure;

/// <summary>Writes a request, its subjects, their suppressions and its audit events in one transaction.</summary>
public static class ErasureRequestStore
{
    /// <param name="configured">What a request that names no environment covers: every one configured now, written out.</param>
    /// <param name="attach">Adds rows of another feature that belong to the request (OpenDSR's), saved with it.</param>
    public static async Task<ErasureRequest> CreateAsync(PrivacyDbContext db, SubjectHasher hasher, Deadlines deadlines,
        EnvironmentNames configured, NewErasureRequest command, string actor, string? idempotencyKey, byte[] fingerprint,
        DateTimeOffset now, CancellationToken ct, Action<ErasureRequest>? attach = null)
    {
        var receivedAt = AuditHashing.ToStoredPrecision(now);
        var submittedAt = command.SubmittedAt is { } s ? AuditHashing.ToStoredPrecision(s) : receivedAt;
        var request = new ErasureRequest
        {
            Id = Guid.CreateVersion7(now),
            Regulation = command.Regulation,
            Status = RequestStatus.Pending,
            RequestedBy = command.RequestedBy,
            Reason = command.Reason,
            Ticket = command.Ticket,
            CreatedBy = actor,
            IdempotencyKey = idempotencyKey,
            Fingerprint = fingerprint,
            ReceivedAt = receivedAt,
            SubmittedAt = submittedAt,
            DueAt = deadlines.DueAt(command.Regulation, command.Type, submittedAt),
            Type = command.Type,
            Environments = [.. command.Environments ?? configured.All],
            UserIdCount = command.UserIds.Count,
            AnonymousIdCount = command.AnonymousIds.Count,
        };
        var completesNow = RequestTypes.CompletesAtCreate(command.Type);
        request.Subjects.AddRange(command.UserIds.Select(v => Subject(hasher, SubjectKind.UserId, v,
            completesNow ? SubjectStatus.SuppressedOnly : SubjectStatus.Pending)));
        request.Subjects.AddRange(command.AnonymousIds.Select(v => Subject(hasher, SubjectKind.AnonymousId, v, SubjectStatus.SuppressedOnly)));
        var toSuppress = RequestTypes.Suppresses(command.Type)
            ? request.Subjects.Select(s => new SubjectToSuppress(s.Kind, s.Value!, s.Hash)).ToList()
            : [];
        if (completesNow)
            CompleteAtCreate(request);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // A failed SaveChanges fails the whole create (the transaction is rolled back), so EF Core's savepoint
        // before each SaveChanges, two extra round trips each, would never be rolled back to.
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            db.ErasureRequests.Add(request);
            if (command.CallbackUrl is { } callbackUrl)
                db.RequestCallbacks.Add(new RequestCallback { RequestId = request.Id, Url = callbackUrl, Format = StandardWebhooksFormat.FormatName, KeyName = actor });
            attach?.Invoke(request);
            await db.SaveChangesAsync(ct);

            var created = new AuditEntry("request.created", request.Id, null, new
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
            });
            var entries = new List<AuditEntry> { created };
            if (request.Status == RequestStatus.Completed)
                entries.Add(new AuditEntry("request.completed", request.Id));
            // The append takes the ledger lock (with the chain head, in one round trip); the suppressions follow
            // under it. Their order inside the transaction does not matter: both commit, or neither.
            await AuditLog.AppendAsync(db, actor, now, entries, ct);
            if (toSuppress.Count > 0)
                await SuppressionWriter.SuppressAsync(db, hasher, request.Id, toSuppress, request.Environments, now, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }
        return request;
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

    static RequestSubject Subject(SubjectHasher hasher, SubjectKind kind, string value, SubjectStatus status) =>
        new() { Kind = kind, Value = value, Hash = hasher.Hash(kind, value), Status = status };
}
