using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Miso.Privacy.IntegrationTests.Infrastructure;
using Miso.Privacy.Suppressions;
using static Miso.Privacy.IntegrationTests.Forwarding.ForwardingApp;

namespace Miso.Privacy.IntegrationTests.Forwarding;

/// <summary>The shared two-instance guarantees with leases on both, plus what the leases themselves promise.</summary>
public sealed class LeasedTwoInstanceTests(LeasedTwoInstances instances)
    : TwoInstanceTests<LeasedTwoInstances>(instances), IClassFixture<LeasedTwoInstances>
{
    [Fact]
    public async Task Leases_HaveAppliedEveryChange_OnBothInstances()
    {
        await Erasures.CreateAsync(A.Management, [NewId("leased")]);

        await using var db = A.NewDb();
        var version = await db.SuppressionState.Select(s => s.Version).SingleAsync();
        var leases = await db.ForwarderLeases.AsNoTracking().ToListAsync();
        var ids = new[] { A, B }.Select(app => app.Services.GetRequiredService<SuppressionLease>().InstanceId);
        Assert.Equal(ids.Order(), leases.Select(l => l.InstanceId).Order());
        Assert.All(leases, l => Assert.True(l.AppliedVersion >= version, $"A lease has applied {l.AppliedVersion}, not {version}."));
    }

    [Fact]
    public async Task Erasure_AnswersOnlyAfterTheLeaseRunsOut_WhenAnInstanceFallsSilent()
    {
        // An instance that took a lease and then went silent (crashed, paused, cut off) never acknowledges. It may
        // have forwarded without asking until its lease ended, so the erasure must not return before that.
        var silent = Guid.NewGuid();
        DateTimeOffset expiresAt;
        await using (var db = A.NewDb())
        {
            expiresAt = (await db.Database.SqlQuery<DateTimeOffset>($"""
                INSERT INTO privacy.forwarder_leases (instance_id, applied_version, expires_at)
                VALUES ({silent}, 0, clock_timestamp() + interval '1.5 seconds') RETURNING expires_at AS "Value"
                """).ToListAsync()).Single();
        }

        await Erasures.CreateAsync(A.Management, [NewId("waited-for")]);

        await using (var db = A.NewDb())
        {
            var answeredBy = (await db.Database.SqlQuery<DateTimeOffset>($"SELECT clock_timestamp() AS \"Value\"").ToListAsync()).Single();
            Assert.True(answeredBy >= expiresAt, $"The erasure returned at {answeredBy:O}, before the silent lease ran out at {expiresAt:O}.");
            await db.Database.ExecuteSqlAsync($"DELETE FROM privacy.forwarder_leases WHERE instance_id = {silent}");
        }
    }

    [Fact]
    public async Task Leases_ArePruned_OnceLongOverAfterTheirInstanceDied()
    {
        var (dead, recent) = (Guid.NewGuid(), Guid.NewGuid());
        await using var db = A.NewDb();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO privacy.forwarder_leases (instance_id, applied_version, expires_at)
            VALUES ({dead}, 0, clock_timestamp() - interval '2 hours'), ({recent}, 0, clock_timestamp() - interval '1 minute')
            """);

        await A.Services.GetRequiredService<ForwarderLeases>().PruneAsync(default);

        var left = await db.ForwarderLeases.AsNoTracking().Select(l => l.InstanceId).ToListAsync();
        Assert.DoesNotContain(dead, left);
        Assert.Contains(recent, left);
        await db.Database.ExecuteSqlAsync($"DELETE FROM privacy.forwarder_leases WHERE instance_id = {recent}");
    }

    [Fact]
    public async Task AcknowledgeAndCountBehind_AcknowledgesOwnLease_AndCountsOnlyOtherUnexpiredLeasesBehind()
    {
        var (own, behind, caughtUp, expired) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using var db = A.NewDb();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO privacy.forwarder_leases (instance_id, applied_version, expires_at)
            VALUES ({own}, 1, clock_timestamp() + interval '1 minute'), ({behind}, 1, clock_timestamp() + interval '1 minute'),
                   ({caughtUp}, 1000000000, clock_timestamp() + interval '1 minute'), ({expired}, 1, clock_timestamp() - interval '1 second')
            """);
        var leases = A.Services.GetRequiredService<ForwarderLeases>();

        var counted = await leases.AcknowledgeAndCountBehindAsync(own, 999_999_999, 999_999_999, default);
        var countedWithoutAcknowledging = await leases.AcknowledgeAndCountBehindAsync(behind, null, 999_999_999, default);

        // The two instances of the fixture have applied everything but not this far: they count as behind as well.
        Assert.Equal(3, counted);
        Assert.Equal(2, countedWithoutAcknowledging);
        var versions = await db.ForwarderLeases.AsNoTracking().Where(l => l.InstanceId == own || l.InstanceId == behind)
            .ToDictionaryAsync(l => l.InstanceId, l => l.AppliedVersion);
        Assert.Equal(999_999_999, versions[own]);
        Assert.Equal(1, versions[behind]);
        await db.Database.ExecuteSqlAsync($"DELETE FROM privacy.forwarder_leases WHERE instance_id IN ({own}, {behind}, {caughtUp}, {expired})");
    }
}
