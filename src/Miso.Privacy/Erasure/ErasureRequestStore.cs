using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;
using Miso.Privacy.Webhooks;
using Npgsql;

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
    /// Writes every create in one transaction, in three round trips and the commit: the requests (and the rows other
    /// features attach) through EF Core; then one batch with every subject in one set-based insert, the ledger lock with
    /// the chain head, every suppression in one statement under the lock, and the live webhooks; then the audit events
    /// with the outbox's deliveries, built from the requests in hand. Returns the requests as written, in the order given, their subjects included,
    /// and the suppression version the write committed at (null when it suppressed nothing); their audit events are in
    /// <paramref name="db"/>'s change tracker.
    /// </summary>
    public static async Task<(List<ErasureRequest> Requests, long? SuppressionVersion)> WriteAsync(PrivacyDbContext db, SubjectHasher hasher,
        IReadOnlyList<PreparedCreate> creates, CancellationToken ct)
    {
        var built = creates.Select(Build).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // A failed SaveChanges fails the whole write (the transaction is rolled back).
        using var noSavepoints = Savepoints.TurnOff(db.Database);
        long? version = null;
        // The subjects are not in the requests' navigation here: EF Core would insert them one statement per row
        // and read each identity back, which was most of a 1,000-id create's time (its CPU, in change tracking and
        // command building, more than the database's).
        foreach (var (create, request, _, _, _) in built)
        {
            db.ErasureRequests.Add(request);
            if (create.Command.CallbackUrl is { } callbackUrl)
                db.RequestCallbacks.Add(new RequestCallback { RequestId = request.Id, Url = callbackUrl, Format = StandardWebhooksFormat.FormatName, KeyName = create.Actor });
            create.Attach?.Invoke(db, request);
        }
        await db.SaveChangesAsync(ct);

        await using (var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction()))
        {
            var subjects = built.SelectMany(b => b.Subjects.Select(s => (b.Request, Subject: s))).ToList();
            if (subjects.Count > 0)
                batch.BatchCommands.Add(InsertSubjects(subjects));
            // The suppressions run under the lock, after the head's read: a cancel holding the lock sees every
            // committed request that covers a subject. Their order inside the transaction does not matter otherwise:
            // all commit, or none.
            AuditLog.AddLockAndHead(db, batch);
            var suppressions = built.Where(b => b.ToSuppress.Count > 0)
                .Select(b => new SuppressionWrite(b.Request.Id, b.ToSuppress, b.Request.Environments!, b.Create.Now)).ToList();
            if (suppressions.Count > 0)
                batch.BatchCommands.Add(SuppressionWriter.SuppressCommand(hasher, suppressions));
            // What the outbox would read back at the events' SaveChanges, read here instead: one round trip less.
            batch.BatchCommands.Add(StatusOutbox.LiveWebhooksCommand());

            ChainLink? head;
            List<StatusOutbox.LiveWebhook> webhooks;
            await using (var reader = await batch.ExecuteReaderAsync(ct))
            {
                if (subjects.Count > 0)
                {
                    await ReadSubjectIdsAsync(reader, subjects, ct);
                    await reader.NextResultAsync(ct);
                }
                head = await AuditLog.ReadLockAndHeadAsync(db, reader, ct);
                await reader.NextResultAsync(ct);
                if (suppressions.Count > 0)
                {
                    version = await reader.ReadAsync(ct) ? reader.GetInt64(0) : throw new InvalidOperationException("The suppression version was not returned.");
                    await reader.NextResultAsync(ct);
                }
                webhooks = await StatusOutbox.ReadLiveWebhooksAsync(reader, ct);
            }
            StatusOutbox.Provide(db, new StatusOutbox.Inputs(built.ToDictionary(b => b.Request.Id, b => Snapshot(b.Request)),
                [.. db.ChangeTracker.Entries<RequestCallback>().Select(e => e.Entity).OrderBy(c => c.Id)], webhooks));
            foreach (var (create, _, _, entries, _) in built)
                head = AuditLog.Append(db, head, create.Actor, create.Now, entries);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        // Joined only now, so that no SaveChanges above saw them in the navigation.
        foreach (var b in built)
            b.Request.Subjects.AddRange(b.Subjects.Select(s => s.Row!));
        return (built.Select(b => b.Request).ToList(), version);
    }

    /// <summary>The request as the outbox's read would find it in this transaction: the same text, the stored precision.</summary>
    static RequestSnapshot Snapshot(ErasureRequest r) => new(r.Id, SnakeCaseEnumConverter<RequestStatus>.ToText(r.Status),
        SnakeCaseEnumConverter<RequestType>.ToText(r.Type), SnakeCaseEnumConverter<Regulation>.ToText(r.Regulation),
        AuditHashing.ToStoredPrecision(r.DueAt).ToUniversalTime(), r.Ticket, new RequestCounts(r.UserIdCount + r.AnonymousIdCount, r.UserIdCount, r.AnonymousIdCount));

    /// <summary>
    /// Every subject of the batch in one statement. Each row's identity is read back by its request and hash (unique
    /// together), not by position: the order RETURNING gives rows in is not promised.
    /// </summary>
    static NpgsqlBatchCommand InsertSubjects(List<(ErasureRequest Request, SubjectDraft Subject)> subjects)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO privacy.request_subjects (request_id, kind, value, hash, status)
            SELECT t.r, t.k, t.v, t.h, t.s FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::text[]) WITH ORDINALITY AS t(r, k, v, h, s, n)
            ORDER BY t.n
            RETURNING id, request_id, hash
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = subjects.Select(s => s.Request.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = subjects.Select(s => SnakeCaseEnumConverter<SubjectKind>.ToText(s.Subject.Kind)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = subjects.Select(s => s.Subject.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = subjects.Select(s => s.Subject.Hash).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = subjects.Select(s => SnakeCaseEnumConverter<SubjectStatus>.ToText(s.Subject.Status)).ToArray() });
        return command;
    }

    static async Task ReadSubjectIdsAsync(NpgsqlDataReader reader, List<(ErasureRequest Request, SubjectDraft Subject)> subjects, CancellationToken ct)
    {
        var byKey = subjects.ToDictionary(s => (s.Request.Id, Convert.ToHexString(s.Subject.Hash)), s => s.Subject);
        while (await reader.ReadAsync(ct))
        {
            var requestId = reader.GetGuid(1);
            var draft = byKey[(requestId, Convert.ToHexString((byte[])reader.GetValue(2)))];
            draft.Row = new RequestSubject
            {
                Id = reader.GetInt64(0), RequestId = requestId, Kind = draft.Kind, Value = draft.Value, Hash = draft.Hash, Status = draft.Status,
            };
        }
        if (subjects.Any(s => s.Subject.Row is null))
            throw new InvalidOperationException("A subject's row was not returned by its insert.");
    }

    static (PreparedCreate Create, ErasureRequest Request, List<SubjectDraft> Subjects, List<AuditEntry> Entries, List<SubjectToSuppress> ToSuppress) Build(PreparedCreate create)
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
        List<SubjectDraft> subjects =
        [
            .. command.UserIds.Select((v, i) => new SubjectDraft(SubjectKind.UserId, v, create.UserIdHashes[i],
                completesNow ? SubjectStatus.SuppressedOnly : SubjectStatus.Pending)),
            .. command.AnonymousIds.Select((v, i) => new SubjectDraft(SubjectKind.AnonymousId, v, create.AnonymousIdHashes[i],
                SubjectStatus.SuppressedOnly)),
        ];
        var toSuppress = RequestTypes.Suppresses(command.Type)
            ? subjects.Select(s => new SubjectToSuppress(s.Kind, s.Value!, s.Hash)).ToList()
            : [];
        if (completesNow)
            CompleteAtCreate(request, subjects);

        var entries = new List<AuditEntry>
        {
            new("request.created", request.Id, null, new
            {
                regulation = SnakeCaseEnumConverter<Regulation>.ToText(request.Regulation),
                requested_by = request.RequestedBy,
                ticket = request.Ticket,
                user_ids = request.UserIdCount,
                anonymous_ids = request.AnonymousIdCount,
                subjects_digest = SubjectsDigest(subjects.Select(s => s.Hash)),
                submitted_at = request.SubmittedAt,
                due_at = request.DueAt,
                type = SnakeCaseEnumConverter<RequestType>.ToText(request.Type),
                environments = request.Environments,
            }),
        };
        if (request.Status == RequestStatus.Completed)
            entries.Add(new AuditEntry("request.completed", request.Id));
        return (create, request, subjects, entries, toSuppress);
    }

    /// <summary>
    /// A suppress request's whole work is its suppressions, committed with it: it is completed in the same
    /// transaction, so the answer to the create call says so, and its raw ids are never stored (their lookup
    /// keys are computed from the ids at hand).
    /// </summary>
    static void CompleteAtCreate(ErasureRequest request, List<SubjectDraft> subjects)
    {
        request.Status = RequestStatus.Completed;
        request.CompletedAt = request.ReceivedAt;
        foreach (var subject in subjects)
            subject.Value = null;
    }

    /// <summary>
    /// Binds the exact set of subjects into the audit chain with one event: SHA-256 over the sorted
    /// keyed hashes, which an auditor can recompute from the report's subject hashes.
    /// </summary>
    public static string SubjectsDigest(IEnumerable<RequestSubject> subjects) => SubjectsDigest(subjects.Select(s => s.Hash));

    static string SubjectsDigest(IEnumerable<byte[]> hashes)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var hash in hashes.OrderBy(h => h, ByteOrder.Instance))
            sha.AppendData(hash);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    /// <summary>A subject before its row exists; <see cref="Row"/> is the row once its insert returned its id.</summary>
    sealed record SubjectDraft(SubjectKind Kind, string? Value, byte[] Hash, SubjectStatus Status)
    {
        public string? Value { get; set; } = Value;
        public RequestSubject? Row { get; set; }
    }
}
