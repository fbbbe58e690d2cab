using System.Globalization;
using System.Text;
using Miso.Privacy.Audit;
using Miso.Privacy.Signing;

namespace Miso.Privacy.Reports;

public sealed record ReportManifest(
    Guid ReportId, string Report, string Format, DateTimeOffset? PeriodFrom, DateTimeOffset PeriodTo,
    DateTimeOffset GeneratedAt, string GeneratedBy, long Rows, long ContentBytes, string ContentSha256, ChainHead? ChainHead)
{
    /// <summary>
    /// Plain key=value lines so standard tools can check it. The chain head is a signed checkpoint of its own (its
    /// chain_head_signature covers the checkpoint text built from these lines), and the last line's signature is
    /// ES256 (DER, base64) over every byte before it: <c>sed '$d' | openssl dgst -sha256 -verify key.pem -signature sig.der</c>.
    /// </summary>
    public string ToSignedText(SigningKey key)
    {
        var checkpoint = Checkpoint.Sign(ChainHead, GeneratedAt, key);
        var text = new StringBuilder()
            .Append("format_version=2\n")
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
            .Append(CultureInfo.InvariantCulture, $"chain_head_seq={checkpoint.Seq}\n")
            .Append($"chain_head_hash={checkpoint.Hash}\n")
            .Append($"chain_head_at={checkpoint.At}\n")
            .Append($"chain_head_signature={checkpoint.Signature}\n")
            .Append($"signature_algorithm={SigningKey.Algorithm}\n")
            .Append($"kid={key.Kid}\n")
            .ToString();
        return text + $"signature={key.Sign(text)}\n";
    }
}
