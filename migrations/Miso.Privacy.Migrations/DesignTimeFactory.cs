using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Migrations;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running database.</summary>
sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PrivacyDbContext>
{
    public PrivacyDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<PrivacyDbContext>)DatabaseSetup
            .Configure(new DbContextOptionsBuilder<PrivacyDbContext>(), "Host=localhost;Database=design").Options);
}
