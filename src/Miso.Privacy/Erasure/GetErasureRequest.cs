using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Execution;
using Miso.Privacy.Infrastructure;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Erasure;

public static class GetErasureRequest
{
    public static async Task<Results<Ok<ErasureRequestResponse>, ProblemHttpResult>> Handle(
        string id, PrivacyDbContext db, TimeProvider clock, EnvironmentNames names, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var requestId))
            return NotFound(id);
        var request = await db.ErasureRequests.AsNoTracking().Include(r => r.Subjects)
            .AsSplitQuery().FirstOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null)
            return NotFound(id);
        var timeline = await db.AuditEvents.AsNoTracking().Where(e => e.RequestId == requestId).OrderBy(e => e.Seq).ToListAsync(ct);
        var environments = await ProgressAsync(db, requestId, names.Resolve(request.Environments), ct);
        var now = clock.GetUtcNow();
        var blocked = await db.BlockedUploads.AsNoTracking().Where(b => b.RequestId == requestId).GroupBy(b => b.RequestId)
            .Select(g => new { Records = g.Sum(b => b.BlockedRecords), LastAt = (DateTimeOffset?)g.Max(b => b.LastBlockedAt) }).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(request.ToResponse(timeline, now, names) with
        {
            Environments = environments, Sweeps = await SweepsAsync(db, requestId, now, ct),
            BlockedRecords = blocked?.Records ?? 0, LastBlockedAt = blocked?.LastAt,
        });
    }

    static async Task<List<SweepProgress>> SweepsAsync(PrivacyDbContext db, Guid requestId, DateTimeOffset now, CancellationToken ct)
    {
        var sweeps = await db.RequestSweeps.AsNoTracking().Where(s => s.RequestId == requestId).OrderBy(s => s.DueAt).ThenBy(s => s.Id)
            .Select(s => new
            {
                s.Round, s.ReplayId, s.DueAt, s.SweptAt, s.Outcome,
                Planned = db.SweepItems.Any(i => i.SweepId == s.Id),
                Pending = db.SweepItems.Count(i => i.SweepId == s.Id && (i.State == WorkItemState.Pending || i.State == WorkItemState.InFlight || i.State == WorkItemState.Retrying)),
                Deleted = db.SweepItems.Count(i => i.SweepId == s.Id && i.State == WorkItemState.Deleted),
                Failed = db.SweepItems.Count(i => i.SweepId == s.Id && i.State == WorkItemState.Failed),
            }).ToListAsync(ct);
        // A sweep gets its items when it comes due (SweepPlanner.PlanDueAsync); until then its pending items are the ones it
        // will plan. One index probe per work item (a correlated subquery, never a semi-join over every subject).
        var unplanned = sweeps.Any(s => !s.Planned && s.SweptAt is null)
            ? await db.Database.SqlQuery<int>($"""
                SELECT count(*)::int AS "Value" FROM privacy.work_items w
                WHERE w.request_id = {requestId}
                  AND (SELECT s.sealed_value IS NOT NULL FROM privacy.request_subjects s WHERE s.id = w.subject_id)
                """).SingleAsync(ct)
            : 0;
        return sweeps.Select(s => new SweepProgress(s.Round, s.ReplayId, s.DueAt, s.SweptAt,
            s.Outcome ?? (s.DueAt > now ? "scheduled" : "running"), s.Planned || s.SweptAt is not null ? s.Pending : unplanned, s.Deleted, s.Failed)).ToList();
    }

    /// <summary>Every covered environment, with or without work there; and any other its work items name (none, normally).</summary>
    static async Task<List<EnvironmentProgress>> ProgressAsync(PrivacyDbContext db, Guid requestId, IReadOnlyList<string> covered,
        CancellationToken ct)
    {
        var items = await db.WorkItems.AsNoTracking().Where(w => w.RequestId == requestId)
            .GroupBy(w => new { w.Environment, w.State })
            .Select(g => new { g.Key.Environment, g.Key.State, Count = g.Count(), LastError = g.Max(w => w.LastError) })
            .ToListAsync(ct);
        var worked = items.GroupBy(i => i.Environment).ToDictionary(g => g.Key, g =>
        {
            int Count(WorkItemState state) => g.Where(i => i.State == state).Sum(i => i.Count);
            var lastError = g.Where(i => i.State is WorkItemState.Failed or WorkItemState.Retrying).Select(i => i.LastError).FirstOrDefault(e => e is not null);
            return new EnvironmentProgress(g.Key, Count(WorkItemState.Pending), Count(WorkItemState.InFlight), Count(WorkItemState.Retrying),
                Count(WorkItemState.Deleted), Count(WorkItemState.Failed), Count(WorkItemState.Cancelled), lastError);
        });
        return covered.Union(worked.Keys).Order(StringComparer.Ordinal)
            .Select(e => worked.GetValueOrDefault(e) ?? EnvironmentProgress.None(e)).ToList();
    }

    public static ProblemHttpResult NotFound(string id) =>
        Problems.Field("id", $"No erasure request has the id '{Truncate(id)}'.", StatusCodes.Status404NotFound);

    static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
