using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Miso.Privacy.Erasure;
using Miso.Privacy.Infrastructure.Database;

namespace Miso.Privacy.Webhooks;

sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.EventType).HasMaxLength(40);
        builder.Property(d => d.Target).HasMaxLength(60);
        builder.Property(d => d.KeyName).HasMaxLength(200);
        builder.Property(d => d.Format).HasMaxLength(20);
        builder.Property(d => d.Url).HasMaxLength(Destinations.MaxUrlLength);
        builder.Property(d => d.State).HasConversion<SnakeCaseEnumConverter<DeliveryState>>().HasMaxLength(20);
        builder.Property(d => d.LastError).HasMaxLength(500);
        builder.HasOne<ErasureRequest>().WithMany().HasForeignKey(d => d.RequestId);
        builder.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId);
        builder.HasOne<RequestCallback>().WithMany().HasForeignKey(d => d.CallbackId);
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(d => d.RedeliveryOf);
        // The dispatch's claim: due deliveries, and whether an earlier one of the same stream is still open.
        builder.HasIndex(d => d.NextAttemptAt).HasFilter("state IN ('pending', 'sending')").HasDatabaseName("ix_webhook_deliveries_due");
        builder.HasIndex(d => new { d.Target, d.RequestId, d.EventSeq }).HasFilter("state IN ('pending', 'sending')")
            .HasDatabaseName("ix_webhook_deliveries_open_streams");
        // The deliveries listing, newest first, and the dashboard's failed figure.
        builder.HasIndex(d => new { d.WebhookId, d.Id });
        builder.HasIndex(d => d.EventId);
        builder.HasIndex(d => d.State).HasFilter("state = 'failed'").HasDatabaseName("ix_webhook_deliveries_failed");
    }
}
