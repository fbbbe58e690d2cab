using Npgsql;

namespace Miso.Privacy.Infrastructure.Database;

/// <summary>Builds pools of their own from the same connection string, for connections that must not share the service's.</summary>
public sealed class SeparatePools(string connectionString)
{
    public NpgsqlDataSource Create(Action<NpgsqlConnectionStringBuilder> tune)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        tune(builder.ConnectionStringBuilder);
        return builder.Build();
    }
}
