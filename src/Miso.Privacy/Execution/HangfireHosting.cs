using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Logging;
using Hangfire.PostgreSql;
using Npgsql;

namespace Miso.Privacy.Execution;

/// <summary>
/// Hangfire keeps its storage, job activator and log provider in statics that the last configured
/// host wins. Each host here registers its own storage and activator in DI and hands them to its own
/// server, so several hosts in one process (tests, or an API-only and a worker host side by side)
/// never drain each other's database or resolve jobs from a disposed container.
/// </summary>
static class HangfireHosting
{
    public static IServiceCollection AddHangfireForThisHost(this IServiceCollection services, ExecutionOptions execution)
    {
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = ExecutionSetup.HangfireSchema,
            // The migration runner installs the schema; preparing it here would block service registration, retrying
            // silently for minutes before any logger exists, whenever the database is down at start.
            PrepareSchemaIfNecessary = false,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            EnableLongPolling = true,
            // Hangfire's schedulers hold their locks for one pass of milliseconds. A process killed inside one leaves the
            // lock row behind, and with the default of ten minutes no instance would start a drain for that long.
            DistributedLockTimeout = TimeSpan.FromSeconds(30),
        };
        services.AddSingleton<JobStorage>(sp => new PostgreSqlStorage(new DataSourceConnections(sp.GetRequiredService<NpgsqlDataSource>()), storageOptions));
        services.AddHangfire((provider, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new DisposalSafeLogProvider(new AspNetCoreLogProvider(provider.GetRequiredService<ILoggerFactory>())))
            .UseStorage(provider.GetRequiredService<JobStorage>()));
        if (execution.RunServer)
            services.AddHangfireServer((provider, o) =>
            {
                o.WorkerCount = execution.Workers;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                o.Activator = new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>());
            });
        return services;
    }

    /// <summary>Hangfire opens what it is given; connections come from the service's one pool.</summary>
    sealed class DataSourceConnections(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }

    /// <summary>The static log provider may outlive the host whose logger factory it wraps.</summary>
    sealed class DisposalSafeLogProvider(ILogProvider inner) : ILogProvider
    {
        public ILog GetLogger(string name) => new SafeLog(inner.GetLogger(name));

        sealed class SafeLog(ILog inner) : ILog
        {
            public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
            {
                try { return inner.Log(logLevel, messageFunc, exception); }
                catch (ObjectDisposedException) { return false; }
            }
        }
    }
}
