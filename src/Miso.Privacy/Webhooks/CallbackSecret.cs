using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Miso.Privacy.Webhooks;

/// <summary>
/// The secret that signs the callbacks of the requests one API key files with a <c>callback_url</c>, keyed by the key's
/// name (unique for good, configured keys included). Shown once when made; making a new one replaces it.
/// </summary>
public sealed class CallbackSecret
{
    public required string KeyName { get; init; }
    public required byte[] SealedSecret { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

sealed class CallbackSecretConfiguration : IEntityTypeConfiguration<CallbackSecret>
{
    public void Configure(EntityTypeBuilder<CallbackSecret> builder)
    {
        builder.ToTable("callback_secrets");
        builder.HasKey(s => s.KeyName);
        builder.Property(s => s.KeyName).HasMaxLength(200);
    }
}
