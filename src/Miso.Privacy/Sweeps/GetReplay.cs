using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Execution;
using Miso.Privacy.Infrastructure.Database;
using Miso.Privacy.Infrastructure.Http;

namespace Miso.Privacy.Sweeps;

public static class GetReplay
{
    public static async Task<Results<Ok<ReplayResponse>, ProblemHttpResult>> Handle(string id, PrivacyDbContext db, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var replayId) || await db.SweepReplays.AsNoTracking().FirstOrDefaultAsync(r => r.Id == replayId, ct) is not { } replay)
            return Problems.Field("id", $"No sweep has the id '{(id.Length <= 64 ? id : id[..64] + "…")}'.", StatusCodes.Status404NotFound);
        var sweeps = await db.RequestSweeps.AsNoTracking().Where(s => s.ReplayId == replayId)
            .GroupBy(s => 1).Select(g => new { Swept = g.Count(s => s.SweptAt != null), Failed = g.Count(s => s.Outcome == "failed") })
            .FirstOrDefaultAsync(ct);
        var items = await db.SweepItems.AsNoTracking().Where(i => db.RequestSweeps.Any(s => s.Id == i.SweepId && s.ReplayId == replayId))
            .GroupBy(i => i.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(params WorkItemState[] states) => items.Where(i => states.Contains(i.State)).Sum(i => i.Count);
        var swept = sweeps?.Swept ?? 0;
        return TypedResults.Ok(ToResponse(replay, swept == replay.Requests ? "done" : "running", swept, sweeps?.Failed ?? 0,
            Count(WorkItemState.Pending, WorkItemState.InFlight, WorkItemState.Retrying), Count(WorkItemState.Deleted), Count(WorkItemState.Failed)));
    }

    public static ReplayResponse ToResponse(SweepReplay r, string state, int swept, int failedSweeps, int pending, int deleted, int failed) =>
        new(r.Id, r.CompletedAfter, r.Reason, r.RequestedBy, r.CreatedAt, state, r.Requests, swept, failedSweeps, pending, deleted, failed,
            r.OutOfReach.Length, r.OutOfReach);
}
