using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Miso.Privacy.Audit;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Database;
using Npgsql;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// The outbox. Every request state change appends its audit event (request.created, request.in_progress, …), and the
/// SaveChanges that writes that event writes the deliveries too: one per live webhook subscribed to the event, and one per
/// callback of the request. So a delivery exists exactly when the change committed, in the same transaction, whichever
/// code made the change, and a transition added later cannot forget its webhooks. The request is read inside that
/// transaction, so the payload says what the change left behind; the group commit of creates hands over the requests
/// it has just written instead (<see cref="Provide"/>), which are exactly that.
/// </summary>
public sealed class StatusOutbox(IEnumerable<ICallbackFormat> formats) : SaveChangesInterceptor, IChainCompanion
{
    readonly Dictionary<string, ICallbackFormat> _formats = formats.ToDictionary(f => f.Name);

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is PrivacyDbContext db)
            await WriteAsync(db, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is PrivacyDbContext db)
            WriteAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    async Task WriteAsync(PrivacyDbContext db, CancellationToken ct)
    {
        // Given for this SaveChanges alone, whatever it writes.
        Known.TryGetValue(db, out var known);
        Known.Remove(db);
        // A SaveChanges tried again after a failure keeps what it added the first time.
        var written = db.ChangeTracker.Entries<WebhookDelivery>().Where(d => d.State == EntityState.Added).Select(d => d.Entity.EventSeq).ToHashSet();
        var events = db.ChangeTracker.Entries<AuditEvent>()
            .Where(e => e.State == EntityState.Added && e.Entity.RequestId is not null && WebhookEvents.IsStatusEvent(e.Entity.Action)
                && !written.Contains(e.Entity.Seq))
            .Select(e => e.Entity).OrderBy(e => e.Seq).ToList();
        if (events.Count == 0)
            return;

        var requestIds = events.Select(e => e.RequestId!.Value).Distinct().ToArray();
        var (requests, callbacks, webhooks) = known is not null && requestIds.All(known.Requests.ContainsKey)
            ? (known.Requests, known.Callbacks, known.Webhooks)
            : await ReadAsync(db, requestIds, ct);
        AddDeliveries(db, events, requests, callbacks, webhooks);
    }

    /// <summary>
    /// For <see cref="PendingAudit"/>'s events, which are not in the change tracker: the requests and their callbacks are read
    /// before the ledger lock (the transaction has written and locked its requests' rows, so they are what its commit leaves
    /// behind, and callbacks are only written with their request), the live webhooks under it, with the chain's head.
    /// </summary>
    public async Task<IChainCompanionWrite?> PrepareAsync(PrivacyDbContext db, IReadOnlyList<AuditEntry> entries, NpgsqlBatch lockBatch,
        CancellationToken ct)
    {
        var requestIds = entries.Where(e => e.RequestId is not null && WebhookEvents.IsStatusEvent(e.Action))
            .Select(e => e.RequestId!.Value).Distinct().ToArray();
        if (requestIds.Length == 0)
            return null;
        var (requests, callbacks) = await ReadRequestsAsync(db, requestIds, ct);
        lockBatch.BatchCommands.Add(LiveWebhooksCommand());
        return new ChainWrite(this, requests, callbacks);
    }

    sealed class ChainWrite(StatusOutbox outbox, IReadOnlyDictionary<Guid, RequestSnapshot> requests, IReadOnlyList<RequestCallback> callbacks)
        : IChainCompanionWrite
    {
        List<LiveWebhook> _webhooks = [];

        public async Task ReadAsync(NpgsqlDataReader reader, CancellationToken ct) => _webhooks = await ReadLiveWebhooksAsync(reader, ct);

        public void Add(PrivacyDbContext db, IReadOnlyList<AuditEvent> events) => outbox.AddDeliveries(db,
            [.. events.Where(e => e.RequestId is not null && WebhookEvents.IsStatusEvent(e.Action))], requests, callbacks, _webhooks);
    }

    void AddDeliveries(PrivacyDbContext db, IReadOnlyList<AuditEvent> events, IReadOnlyDictionary<Guid, RequestSnapshot> requests,
        IReadOnlyList<RequestCallback> callbacks, IReadOnlyList<LiveWebhook> webhooks)
    {
        foreach (var audit in events)
        {
            if (!requests.TryGetValue(audit.RequestId!.Value, out var request))
                continue;
            var statusEvent = new StatusEvent(Guid.CreateVersion7(audit.OccurredAt), audit.Action, audit.Seq, audit.OccurredAt, request);
            var payload = StandardWebhooksFormat.Payload(statusEvent);
            foreach (var webhook in webhooks.Where(w => w.Events.Contains(audit.Action)))
                db.Add(Delivery(statusEvent, WebhookDelivery.WebhookTarget(webhook.Id), StandardWebhooksFormat.FormatName, webhook.Url, payload,
                    webhookId: webhook.Id));
            foreach (var callback in callbacks.Where(c => c.RequestId == request.Id))
                if (_formats.GetValueOrDefault(callback.Format)?.Body(statusEvent, callback) is { } body)
                    db.Add(Delivery(statusEvent, WebhookDelivery.CallbackTarget(callback.Id), callback.Format, callback.Url, body,
                        callbackId: callback.Id, keyName: callback.KeyName));
        }
    }

    static WebhookDelivery Delivery(StatusEvent e, string target, string format, string url, string body,
        Guid? webhookId = null, long? callbackId = null, string? keyName = null) => new()
    {
        EventId = e.EventId, EventType = e.Type, EventSeq = e.Seq, RequestId = e.Request.Id, Target = target, WebhookId = webhookId,
        CallbackId = callbackId, KeyName = keyName, Format = format, Url = url, Body = body, State = DeliveryState.Pending,
        NextAttemptAt = e.OccurredAt, CreatedAt = e.OccurredAt,
    };

    public sealed record LiveWebhook(Guid Id, string Url, string[] Events);

    /// <summary>
    /// What a writer of new requests holds already, in the transaction of the next SaveChanges: the requests as it wrote
    /// them, their callbacks as saved (with their ids), and the live webhooks it read in that transaction
    /// (<see cref="LiveWebhooksCommand"/>). That SaveChanges then reads nothing.
    /// </summary>
    public sealed record Inputs(IReadOnlyDictionary<Guid, RequestSnapshot> Requests, IReadOnlyList<RequestCallback> Callbacks,
        IReadOnlyList<LiveWebhook> Webhooks);

    static readonly ConditionalWeakTable<DbContext, Inputs> Known = [];

    /// <summary>Used by the next SaveChanges of <paramref name="db"/> only, if it covers exactly requests given here.</summary>
    public static void Provide(DbContext db, Inputs inputs) => Known.AddOrUpdate(db, inputs);

    const string WebhooksSql = "SELECT id, url, events FROM privacy.webhooks WHERE deleted_at IS NULL ORDER BY created_at, id";

    public static NpgsqlBatchCommand LiveWebhooksCommand() => new(WebhooksSql);

    public static async Task<List<LiveWebhook>> ReadLiveWebhooksAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var webhooks = new List<LiveWebhook>();
        while (await reader.ReadAsync(ct))
            webhooks.Add(new LiveWebhook(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<string[]>(2)));
        return webhooks;
    }

    const string RequestsSql = """
        SELECT id, status, type, regulation, due_at, ticket, user_id_count, anonymous_id_count FROM privacy.erasure_requests WHERE id = ANY(@ids);
        SELECT id, request_id, url, format, key_name, external_id FROM privacy.request_callbacks WHERE request_id = ANY(@ids) ORDER BY id;
        """;

    const string Sql = RequestsSql + WebhooksSql + ";";

    /// <summary>One round trip, inside the caller's transaction (audit appends always have one).</summary>
    static async Task<(IReadOnlyDictionary<Guid, RequestSnapshot>, IReadOnlyList<RequestCallback>, IReadOnlyList<LiveWebhook>)> ReadAsync(
        PrivacyDbContext db, Guid[] requestIds, CancellationToken ct)
    {
        await using var command = Command(db, Sql, requestIds);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var (requests, callbacks) = await ReadRequestsAsync(reader, ct);
        await reader.NextResultAsync(ct);
        return (requests, callbacks, await ReadLiveWebhooksAsync(reader, ct));
    }

    static async Task<(IReadOnlyDictionary<Guid, RequestSnapshot>, IReadOnlyList<RequestCallback>)> ReadRequestsAsync(
        PrivacyDbContext db, Guid[] requestIds, CancellationToken ct)
    {
        await using var command = Command(db, RequestsSql, requestIds);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await ReadRequestsAsync(reader, ct);
    }

    static NpgsqlCommand Command(PrivacyDbContext db, string sql, Guid[] requestIds)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("Status events are written inside a transaction.");
        var command = new NpgsqlCommand(sql, connection, transaction);
        // Named, not positional: Npgsql sends a positional command unparsed, and that cannot hold several statements.
        command.Parameters.Add(new NpgsqlParameter("ids", requestIds));
        return command;
    }

    static async Task<(IReadOnlyDictionary<Guid, RequestSnapshot>, IReadOnlyList<RequestCallback>)> ReadRequestsAsync(
        NpgsqlDataReader reader, CancellationToken ct)
    {
        var requests = new Dictionary<Guid, RequestSnapshot>();
        while (await reader.ReadAsync(ct))
        {
            int users = reader.GetInt32(6), anonymous = reader.GetInt32(7);
            requests[reader.GetGuid(0)] = new RequestSnapshot(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5), new RequestCounts(users + anonymous, users, anonymous));
        }
        await reader.NextResultAsync(ct);
        var callbacks = new List<RequestCallback>();
        while (await reader.ReadAsync(ct))
            callbacks.Add(new RequestCallback
            {
                Id = reader.GetInt64(0), RequestId = reader.GetGuid(1), Url = reader.GetString(2), Format = reader.GetString(3),
                KeyName = reader.GetString(4), ExternalId = reader.IsDBNull(5) ? null : reader.GetGuid(5),
            });
        return (requests, callbacks);
    }
}
