using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Miso.Privacy.Audit;

namespace Miso.Privacy.Reports;

public sealed record ReportManifest(
    Guid ReportId, string Report, string Format, DateTimeOffset? PeriodFrom, DateTimeOffset PeriodTo,
    DateTimeOffset GeneratedAt, string GeneratedBy, long Rows, long ContentBytes, string ContentSha256, ChainHead? ChainHead)
{
    /// <summary>
    /// Plain key=value lines so standard tools can check it: the signature is the HMAC-SHA256 of every
    /// byte before the last line (<c>head -n -1 | openssl dgst -sha256 -mac HMAC</c>).
    /// </summary>
    public string ToSignedText(ReportSigner signer)
    {
        var text = new StringBuilder()
            .Append("format_version=1\n")
            .Append($"report_id={ReportId:D}\n")
            .Append($"report={Report}\n")
            .Append($"format={Format}\n")
            .Append($"period_from={(PeriodFrom is { } from ? ReportFormat.Time(from) : "")}\n")
            .Append($"period_to={ReportFormat.Time(PeriodTo)}\n")
            .Append($"generated_at={ReportFormat.Time(GeneratedAt)}\n")
            .Append($"generated_by={GeneratedBy}\n")
            .Append(CultureInfo.InvariantCulture, $"rows={Rows}\n")
            .Append(CultureInfo.InvariantCulture, $"content_bytes={ContentBytes}\n")
            .Append($"content_sha256={ContentSha256}\n")
            .Append(CultureInfo.InvariantCulture, $"chain_head_seq={ChainHead?.Seq ?? 0}\n")
            .Append($"chain_head_hash={ChainHead?.Hash ?? Convert.ToHexStringLower(AuditHashing.Genesis)}\n")
            .Append("signature_algorithm=HMAC-SHA256\n")
            .ToString();
        return text + $"signature={signer.Sign(text)}\n";
    }
}

public sealed class ReportSigner(IOptions<ReportSigningOptions> options)
{
    readonly byte[] _key = Convert.FromBase64String(options.Value.SigningKey);

    public string Sign(string signedPart) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(signedPart)));
}
