using Microsoft.EntityFrameworkCore;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Tests.Infrastructure;

/// <summary>
/// Every table of the model has a decision on what the service's database role may do with it, so a new entity cannot
/// reach a deployment without one (the migration runner refuses too, and the integration tests check what the database holds).
/// </summary>
public sealed class ServiceGrantsTests
{
    [Fact]
    public void EveryTableOfTheModel_HasAGrantDecision()
    {
        using var db = new PrivacyDbContext((DbContextOptions<PrivacyDbContext>)DatabaseSetup
            .Configure(new DbContextOptionsBuilder<PrivacyDbContext>(), "Host=unused").Options);
        var tables = db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null)
            .Select(e => (Schema: e.GetSchema(), Table: e.GetTableName()!)).Distinct().ToList();
        Assert.Contains(("privacy", "audit_events"), tables);
        Assert.All(tables, t => Assert.Equal(DatabaseSetup.Schema, t.Schema));
        var undecided = tables.Select(t => t.Table).Where(t => !ServiceGrants.Privacy.ContainsKey(t)).ToList();
        Assert.True(undecided.Count == 0,
            $"No grant decision in ServiceGrants.Privacy for {string.Join(", ", undecided.Select(t => "privacy." + t))}: say what the service may do with it.");
    }

    [Fact]
    public void TheAuditTrail_IsReadAndAppendedOnly()
    {
        Assert.Equal(TableAccess.Select | TableAccess.Insert, ServiceGrants.Privacy["audit_events"]);
        Assert.Equal("SELECT, INSERT", ServiceGrants.Sql(ServiceGrants.Privacy["audit_events"]));
        Assert.Equal("", ServiceGrants.Sql(TableAccess.None));
    }
}
