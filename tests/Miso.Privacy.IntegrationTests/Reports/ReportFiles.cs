using System.Net;
using System.Text;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Reports;

public sealed record Export(byte[] Content, string ReportId, string Manifest, string PublicKeyPem, HttpResponseMessage Response)
{
    public string Text => Encoding.UTF8.GetString(Content);

    public string Field(string name) =>
        Manifest.Split('\n').Single(l => l.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];
}

/// <summary>Fetches an export and its manifest as an auditor would, and checks them with the README's own shell steps.</summary>
public static class ReportFiles
{
    public static async Task<Export> FetchAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var content = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(content)}");
        var reportId = response.Headers.GetValues("X-Report-Id").Single();
        var manifestUrl = response.Headers.GetValues("X-Report-Manifest").Single();
        var manifest = await client.GetAsync(manifestUrl);
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        var text = await manifest.Content.ReadAsStringAsync();
        var kid = text.Split('\n').Single(l => l.StartsWith("kid=", StringComparison.Ordinal))["kid=".Length..];
        var key = await client.GetAsync($"/api/v1/reports/signing-keys/{kid}.pem");
        Assert.Equal(HttpStatusCode.OK, key.StatusCode);
        return new Export(content, reportId, text, await key.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Runs the README's verify-report block (sha256sum, openssl) on the files; exit code 0 means every check passed.</summary>
    public static Task<(int ExitCode, string Output)> VerifyAsync(byte[] content, string manifest, string publicKeyPem) =>
        ReadmeRecipe.RunAsync("verify-report", publicKeyPem, new() { ["REPORT"] = content, ["MANIFEST"] = Encoding.UTF8.GetBytes(manifest) });

    public static async Task AssertVerifiesAsync(Export export)
    {
        var (code, output) = await VerifyAsync(export.Content, export.Manifest, export.PublicKeyPem);
        Assert.True(code == 0, output);
        Assert.StartsWith("OK:", output);
    }

    /// <summary>
    /// One changed byte in the report, in the signed part of the manifest or in its chain head, or a signature checked
    /// against another published key, must fail verification.
    /// </summary>
    public static async Task AssertTamperingIsDetectedAsync(Export export)
    {
        var altered = (byte[])export.Content.Clone();
        altered[altered.Length / 2] ^= 0x01;
        var (contentCode, contentOutput) = await VerifyAsync(altered, export.Manifest, export.PublicKeyPem);
        Assert.NotEqual(0, contentCode);
        Assert.Contains("content_sha256", contentOutput);

        var rows = export.Field("rows");
        var forged = export.Manifest.Replace($"rows={rows}\n", $"rows={long.Parse(rows) + 1}\n");
        var (manifestCode, manifestOutput) = await VerifyAsync(export.Content, forged, export.PublicKeyPem);
        Assert.NotEqual(0, manifestCode);
        Assert.Contains("manifest signature does not verify", manifestOutput);

        var hash = export.Field("chain_head_hash");
        var moved = export.Manifest.Replace($"chain_head_hash={hash}\n", $"chain_head_hash={(hash[0] == 'a' ? 'b' : 'a')}{hash[1..]}\n");
        var (headCode, headOutput) = await VerifyAsync(export.Content, moved, export.PublicKeyPem);
        Assert.NotEqual(0, headCode);
        Assert.Contains("does not verify", headOutput);

        var (otherKeyCode, otherKeyOutput) = await VerifyAsync(export.Content, export.Manifest, TestKeys.RotatedPublicKeyPem);
        Assert.NotEqual(0, otherKeyCode);
        Assert.Contains("manifest signature does not verify", otherKeyOutput);
    }

    public static void AssertContainsNone(Export export, IEnumerable<string> rawIds)
    {
        foreach (var raw in rawIds)
        {
            Assert.DoesNotContain(raw, export.Text);
            Assert.DoesNotContain(raw, export.Manifest);
        }
    }

}
