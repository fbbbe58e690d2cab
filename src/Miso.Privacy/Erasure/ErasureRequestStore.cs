using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Audit;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Erasure;

/// <summary>Writes a request, its subjects, their suppressions and its audit events in one transaction.</summary>
public static class ErasureRequestStore
{
    /// <param name="configured">What a request that names no environment covers: every one configured now, written out.</param>
    public static async Task<ErasureRequest> CreateAsync(PrivacyDbContext db, SubjectHasher hasher, EnvironmentNames configured,
        NewErasureRequest command, string actor, string? idempotencyKey, byte[] fingerprint, DateTimeOffset now, CancellationToken ct)
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
            DueAt = Deadlines.DueAt(command.Regulation, submittedAt),
            Environments = [.. command.Environments ?? configured.All],
            UserIdCount = command.UserIds.Count,
            AnonymousIdCount = command.AnonymousIds.Count,
        };
        request.Subjects.AddRange(command.UserIds.Select(v => Subject(hasher, SubjectKind.UserId, v, SubjectStatus.Pending)));
        request.Subjects.AddRange(command.AnonymousIds.Select(v => Subject(hasher, SubjectKind.AnonymousId, v, SubjectStatus.SuppressedOnly)));

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.ErasureRequests.Add(request);
        await db.SaveChangesAsync(ct);

        await LedgerLock.AcquireAsync(db, ct);
        await SuppressionWriter.SuppressAsync(db, hasher, request.Id,
            request.Subjects.Select(s => new SubjectToSuppress(s.Kind, s.Value!, s.Hash)).ToList(), request.Environments, now, ct);
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
            environments = request.Environments,
        });
        await AuditLog.AppendAsync(db, actor, now, created, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return request;
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
