using System.Text;
using Miso.Privacy.Execution;
using Miso.Privacy.Infrastructure.Database;
using Npgsql;

namespace Miso.Privacy.Migrations;

public sealed class ServiceRoleException(string message) : Exception(message);

/// <summary>
/// Gives the service's role exactly <see cref="ServiceGrants"/> at every run, in one transaction: revoke everything,
/// grant the list, check the result. A grant taken off the list leaves the database too, and a service connected
/// meanwhile never sees half a set. The role must not be able to act as an owner, create anything, or be a superuser.
/// </summary>
public static class ServiceRoleGrants
{
    const string Privacy = DatabaseSetup.Schema;
    const string Hangfire = ExecutionSetup.HangfireSchema;

    public static async Task ApplyAsync(NpgsqlConnection connection, string role, CancellationToken ct)
    {
        if (role.Length is 0 or > 63 || !role.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_') || char.IsDigit(role[0]))
            throw new ServiceRoleException($"The service role '{role}' must be a plain lower-case PostgreSQL name (a-z, 0-9, _; at most 63).");
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await CheckRoleAsync(connection, role, ct);
        var tables = (await StringsAsync(connection, "SELECT tablename::text FROM pg_tables WHERE schemaname::text = $1 ORDER BY 1", ct, Privacy))
            .OfType<string>().ToList();
        var undecided = tables.Where(t => !ServiceGrants.Privacy.ContainsKey(t)).ToList();
        if (undecided.Count > 0)
            throw new ServiceRoleException($"No grant decision for {string.Join(", ", undecided.Select(t => $"{Privacy}.{t}"))}: say what the "
                + $"service may do with it in {nameof(ServiceGrants)}.{nameof(ServiceGrants.Privacy)} ({nameof(TableAccess)}.None if nothing).");
        var unknown = ServiceGrants.Privacy.Keys.Where(t => !tables.Contains(t)).ToList();
        if (unknown.Count > 0)
            throw new ServiceRoleException($"{nameof(ServiceGrants)} names {string.Join(", ", unknown)}, which no migration created in schema {Privacy}.");

        var r = Quote(role);
        var database = Quote((await StringsAsync(connection, "SELECT current_database()::text", ct))[0]!);
        var sql = new StringBuilder()
            // Nobody but the owner makes objects here, not even temporary ones.
            .Append($"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC;\nREVOKE ALL ON DATABASE {database} FROM {r};\n")
            .Append($"GRANT CONNECT ON DATABASE {database} TO {r};\n");
        foreach (var schema in new[] { Privacy, Hangfire })
            sql.Append($"REVOKE ALL ON SCHEMA {schema} FROM {r};\nREVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {r};\n")
                .Append($"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {r};\nGRANT USAGE ON SCHEMA {schema} TO {r};\n");
        foreach (var (table, access) in ServiceGrants.Privacy.Where(g => g.Value != TableAccess.None))
            sql.Append($"GRANT {ServiceGrants.Sql(access)} ON {Privacy}.{Quote(table)} TO {r};\n");
        // Identity columns draw from a sequence: inserting needs USAGE on it (nextval), nothing more.
        var inserted = ServiceGrants.Privacy.Where(g => g.Value.HasFlag(TableAccess.Insert)).Select(g => g.Key).ToArray();
        foreach (var sequence in (await StringsAsync(connection, OwnedSequences, ct, Privacy, inserted)).OfType<string>())
            sql.Append($"GRANT USAGE ON SEQUENCE {sequence} TO {r};\n");
        sql.Append($"GRANT {ServiceGrants.Sql(ServiceGrants.Hangfire)} ON ALL TABLES IN SCHEMA {Hangfire} TO {r};\n")
            .Append($"REVOKE INSERT, UPDATE, DELETE ON {Hangfire}.{Quote(ServiceGrants.HangfireVersionTable)} FROM {r};\n")
            .Append($"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {Hangfire} TO {r};\n");
        await using (var grant = new NpgsqlCommand(sql.ToString(), connection, transaction))
            await grant.ExecuteNonQueryAsync(ct);

        var creatable = await StringsAsync(connection, """
            SELECT 'schema ' || nspname::text FROM pg_namespace WHERE has_schema_privilege($1::name, oid, 'CREATE')
            UNION ALL SELECT 'database ' || current_database() WHERE has_database_privilege($1::name, current_database(), 'CREATE')
            UNION ALL SELECT 'temporary tables' WHERE has_database_privilege($1::name, current_database(), 'TEMPORARY')
            """, ct, role);
        if (creatable.Count > 0)
            throw new ServiceRoleException($"The service role {role} may still create objects ({string.Join(", ", creatable)}), through PUBLIC or "
                + "another role; revoke that (for example REVOKE CREATE ON SCHEMA public FROM PUBLIC) as the database's owner.");
        await transaction.CommitAsync(ct);
    }

    const string OwnedSequences = """
        SELECT s.oid::regclass::text FROM pg_depend d
          JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
          JOIN pg_class t ON t.oid = d.refobjid
          JOIN pg_namespace n ON n.oid = t.relnamespace
         WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
           AND n.nspname::text = $1 AND t.relname::text = ANY($2)
         ORDER BY 1
        """;

    /// <summary>A role that is the runner, a superuser, or a member of an owner could undo every grant; refuse it.</summary>
    static async Task CheckRoleAsync(NpgsqlConnection connection, string role, CancellationToken ct)
    {
        var problems = await StringsAsync(connection, """
            SELECT CASE WHEN rolname = current_user THEN 'is the role that runs the migrations (the owner)'
                        WHEN rolsuper THEN 'is a superuser'
                        WHEN rolbypassrls OR rolcreaterole OR rolcreatedb OR rolreplication THEN 'has BYPASSRLS, CREATEROLE, CREATEDB or REPLICATION'
                        WHEN pg_has_role(rolname, current_user, 'MEMBER') THEN 'is a member of the owner, so it can act as it'
                        WHEN NOT rolcanlogin THEN 'cannot log in' END
              FROM pg_roles WHERE rolname::text = $1
            """, ct, role);
        if (problems.Count == 0)
            throw new ServiceRoleException($"The service role {role} does not exist. Create it once as an administrator "
                + $"(CREATE ROLE {role} LOGIN PASSWORD '...'), or give its password in MISO_PRIVACY_SERVICE_ROLE_PASSWORD to the runner.");
        if (problems[0] is { } problem)
            throw new ServiceRoleException($"The service role {role} {problem}; it must be a plain login role of its own.");
        var owned = await StringsAsync(connection, """
            SELECT n.nspname::text || '.' || c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname::text = ANY($2) AND pg_has_role($1::name, c.relowner, 'MEMBER')
            UNION ALL SELECT nspname::text FROM pg_namespace WHERE nspname::text = ANY($2) AND pg_has_role($1::name, nspowner, 'MEMBER')
            """, ct, role, new[] { Privacy, Hangfire });
        if (owned.Count > 0)
            throw new ServiceRoleException($"The service role {role} owns (or can act as the owner of) {string.Join(", ", owned.Take(5))}; "
                + "every object must belong to the owner that runs the migrations.");
    }

    /// <summary>Creates the role if it is missing and sets its password: for deployments whose runner may manage roles (compose).</summary>
    public static async Task EnsureLoginAsync(NpgsqlConnection connection, string role, string password, CancellationToken ct)
    {
        // DDL takes no parameters; format() quotes the name and the literal, reading them from settings local to this transaction.
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT set_config('miso.role', $1, true), set_config('miso.password', $2, true)")
                {
                    Parameters = { new NpgsqlParameter { Value = role }, new NpgsqlParameter { Value = password } },
                },
                new NpgsqlBatchCommand("""
                    DO $$ BEGIN
                      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname::text = current_setting('miso.role')) THEN
                        EXECUTE format('CREATE ROLE %I LOGIN', current_setting('miso.role'));
                      END IF;
                      EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', current_setting('miso.role'), current_setting('miso.password'));
                    END $$
                    """),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    static async Task<List<string?>> StringsAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new List<string?>();
        while (await reader.ReadAsync(ct))
            values.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        return values;
    }
}
