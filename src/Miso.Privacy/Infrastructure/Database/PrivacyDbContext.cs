using Microsoft.EntityFrameworkCore;
using Miso.Privacy.ApiKeys;
using Miso.Privacy.Audit;
using Miso.Privacy.Erasure;
using Miso.Privacy.Execution;
using Miso.Privacy.Subjects;
using Miso.Privacy.OpenDsr;
using Miso.Privacy.Suppressions;
using Miso.Privacy.Webhooks;
using Miso.Privacy.Sweeps;

namespace Miso.Privacy.Infrastructure.Database;

public sealed class PrivacyDbContext(DbContextOptions<PrivacyDbContext> options) : DbContext(options)
{
    public DbSet<ErasureRequest> ErasureRequests => Set<ErasureRequest>();
    public DbSet<RequestSubject> RequestSubjects => Set<RequestSubject>();
    public DbSet<Suppression> Suppressions => Set<Suppression>();
    public DbSet<SuppressionState> SuppressionState => Set<SuppressionState>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<WorkItem> WorkItems => Set<WorkItem>();
    public DbSet<RateGate> RateGates => Set<RateGate>();
    public DbSet<RateGrant> RateGrants => Set<RateGrant>();
    public DbSet<ForwarderLease> ForwarderLeases => Set<ForwarderLease>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<CallbackSecret> CallbackSecrets => Set<CallbackSecret>();
    public DbSet<RequestCallback> RequestCallbacks => Set<RequestCallback>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<OpenDsrRequest> OpenDsrRequests => Set<OpenDsrRequest>();
    public DbSet<RequestSweep> RequestSweeps => Set<RequestSweep>();
    public DbSet<SweepItem> SweepItems => Set<SweepItem>();
    public DbSet<SweepReplay> SweepReplays => Set<SweepReplay>();
    public DbSet<BlockedUpload> BlockedUploads => Set<BlockedUpload>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(DatabaseSetup.Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PrivacyDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Regulation>().HaveConversion<SnakeCaseEnumConverter<Regulation>>();
        configurationBuilder.Properties<RequestType>().HaveConversion<SnakeCaseEnumConverter<RequestType>>();
        configurationBuilder.Properties<RequestStatus>().HaveConversion<SnakeCaseEnumConverter<RequestStatus>>();
        configurationBuilder.Properties<SubjectKind>().HaveConversion<SnakeCaseEnumConverter<SubjectKind>>();
        configurationBuilder.Properties<SubjectStatus>().HaveConversion<SnakeCaseEnumConverter<SubjectStatus>>();
        configurationBuilder.Properties<MisoOperation>().HaveConversion<SnakeCaseEnumConverter<MisoOperation>>();
        configurationBuilder.Properties<WorkItemState>().HaveConversion<SnakeCaseEnumConverter<WorkItemState>>();
    }
}
