using System.Security.Cryptography;
using System.Text;

namespace Miso.Privacy.Cli.Reports;

sealed record Verdict(IReadOnlyList<string> Problems, Manifest? Manifest)
{
    public bool Valid => Problems.Count == 0;
}

/// <summary>
/// The checks the README's openssl recipe makes, offline: the report's bytes against content_sha256 and content_bytes,
/// the manifest's ES256 signature with the key its kid names, and the chain head's own signature (a checkpoint).
/// Every check is made and every failure named, so one changed byte says where it is.
/// </summary>
static class ReportVerifier
{
    public static Verdict Verify(Stream report, byte[] manifestBytes, KeySet keys)
    {
        var (manifest, problem) = Manifest.Parse(manifestBytes);
        if (manifest is null)
            return new Verdict([problem!], null);
        var problems = new List<string>();
        if (manifest["format_version"] != "2")
            problems.Add($"format_version is '{manifest["format_version"]}'; this client reads version 2 (a newer client may read it)");
        if (manifest["signature_algorithm"] != "ES256")
            problems.Add($"signature_algorithm is '{manifest["signature_algorithm"]}', not ES256");

        var kid = manifest["kid"] ?? "";
        if (keys.Find(kid) is not { } key)
            problems.Add($"no key in the key set has the manifest's kid '{kid}' (it has {string.Join(", ", keys.Kids.Select(k => $"'{k}'"))})");
        else
        {
            if (!SignatureHolds(key, manifest.Signed, manifest["signature"]))
                problems.Add($"the manifest's signature does not verify with key '{kid}': the manifest was changed or signed by another key");
            var checkpoint = $"miso-privacy-checkpoint\nseq={manifest["chain_head_seq"]}\nhash={manifest["chain_head_hash"]}\nat={manifest["chain_head_at"]}\nkid={kid}\n";
            if (!SignatureHolds(key, Encoding.UTF8.GetBytes(checkpoint), manifest["chain_head_signature"]))
                problems.Add("the chain head's signature does not verify: chain_head_seq, chain_head_hash or chain_head_at was changed");
        }

        var (sha256, bytes) = Digest(report);
        if (!string.Equals(sha256, manifest["content_sha256"], StringComparison.Ordinal))
            problems.Add("the report does not match content_sha256: its bytes were changed, or it is another report");
        if (manifest["content_bytes"] != bytes.ToString(System.Globalization.CultureInfo.InvariantCulture))
            problems.Add($"the report has {bytes} bytes; content_bytes says {manifest["content_bytes"]}");
        return new Verdict(problems, manifest);
    }

    public static (string Sha256, long Bytes) Digest(Stream content)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        for (int read; (read = content.Read(buffer)) > 0; total += read)
            hash.AppendData(buffer, 0, read);
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), total);
    }

    static bool SignatureHolds(ECParameters key, byte[] data, string? base64)
    {
        if (base64 is null)
            return false;
        var signature = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, signature, out var length))
            return false;
        using var ecdsa = ECDsa.Create(key);
        return ecdsa.VerifyData(data, signature.AsSpan(0, length), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }
}
