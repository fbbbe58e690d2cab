using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Miso.Privacy.Execution;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Sweeps;

/// <summary>
/// Claims due sweep items with <see cref="BatchClaims"/>' claim (FOR UPDATE SKIP LOCKED and a lease).
/// No batch window: a sweep is due days after completion, and whatever is due by then fills the batch.
/// </summary>
public sealed class SweepClaims(PrivacyDbContext db, IOptions<ExecutionOptions> options)
{
    sealed record Row(long Id, Guid RequestId, long SubjectId);

    static readonly string Sql = BatchClaims.ClaimSql("sweep_items");

    public async Task<ClaimedBatch?> ClaimAsync(string environment, MisoOperation operation, CancellationToken ct)
    {
        var batchId = Guid.CreateVersion7();
        var rows = await db.Database.SqlQueryRaw<Row>(Sql, BatchClaims.Parameters(options.Value, environment, operation, batchId, TimeSpan.Zero))
            .ToListAsync(ct);
        return rows.Count == 0 ? null
            : new ClaimedBatch(batchId, environment, operation, rows.Select(r => new ClaimedItem(r.Id, r.RequestId, r.SubjectId)).ToList());
    }
}
