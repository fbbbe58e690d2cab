using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Miso.Privacy.ApiKeys;

sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.Name).HasMaxLength(ApiKeyRules.MaxNameLength);
        // Revoked keys keep their names: a name is an audit actor and scopes idempotency keys, so it is never reused.
        builder.HasIndex(k => k.Name).IsUnique();
        builder.Property(k => k.Prefix).HasMaxLength(KeyFormat.PrefixLength);
        builder.Property(k => k.KeySha256).HasColumnName("key_sha256");
        builder.HasIndex(k => k.KeySha256).IsUnique();
        builder.Property(k => k.CreatedBy).HasMaxLength(200);
        builder.Property(k => k.RevokedBy).HasMaxLength(200);
    }
}
