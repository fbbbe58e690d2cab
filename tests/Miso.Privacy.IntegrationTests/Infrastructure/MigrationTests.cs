using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

public sealed class MigrationTests(PrivacyApp app) : IClassFixture<PrivacyApp>
{
    [Fact]
    public void Migrations_CoverTheModel()
    {
        using var db = app.NewDb();
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes no migration covers: run dotnet ef migrations add.");
    }

    [Fact]
    public void SchemaVersion_IsTheNewestMigration()
    {
        using var db = app.NewDb();
        var newest = db.GetService<IMigrationsAssembly>().Migrations.Keys.Max();
        Assert.Equal(SchemaVersion.Required, newest);
    }

    [Fact]
    public async Task Ready_IsHealthy_OnAMigratedDatabase()
    {
        var response = await app.CreateClient().GetAsync("/health/ready");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
