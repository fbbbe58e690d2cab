using Npgsql;

namespace Miso.Privacy.IntegrationTests.Infrastructure;

/// <summary>
/// The two roles of a deployment, in every test cluster: the owner migrates and owns every object (the tests seed and
/// tamper through it, as an operator with database access would), and the service under test connects as the service
/// role, so every test runs on the reduced privileges.
/// </summary>
public static class DatabaseRoles
{
    public const string Owner = "miso_privacy_owner";
    public const string Service = "miso_privacy_service";

    // Only for a server given in MISO_PRIVACY_TEST_DB that asks for passwords; the throwaway cluster trusts 127.0.0.1.
    const string Password = "test-only-password";

    public static async Task EnsureAsync(string adminConnectionString)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString + ";Database=postgres;Pooling=false");
        await connection.OpenAsync();
        foreach (var role in new[] { Owner, Service })
        {
            // Another test run may share the server and make the role at the same moment.
            await using var command = new NpgsqlCommand($"""
                DO $$ BEGIN
                  CREATE ROLE {role} LOGIN PASSWORD '{Password}';
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END $$
                """, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    public static string As(string connectionString, string role) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = Password }.ConnectionString;

    public static string AsService(string connectionString) => As(connectionString, Service);
}
