using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.ApiKeys;

static class ApiKeyChanges
{
    /// <summary>Tells every instance's <see cref="KeyChangeListener"/>; delivered when the caller's transaction commits.</summary>
    public static Task AnnounceAsync(PrivacyDbContext db, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({KeyChangeListener.Channel}, '')", ct);
}
