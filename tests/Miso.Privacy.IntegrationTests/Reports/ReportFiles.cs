using System.Diagnostics;
using System.Net;
using System.Text;
using Miso.Privacy.IntegrationTests.Infrastructure;

namespace Miso.Privacy.IntegrationTests.Reports;

public sealed record Export(byte[] Content, string ReportId, string Manifest, HttpResponseMessage Response)
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
        return new Export(content, reportId, await manifest.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Runs the verification block of the README (sha256sum, openssl) on the files; exit code 0 means both checks passed.</summary>
    public static async Task<(int ExitCode, string Output)> VerifyAsync(byte[] content, string manifest)
    {
        var folder = Directory.CreateTempSubdirectory("miso-report-").FullName;
        try
        {
            var report = Path.Combine(folder, "report");
            var manifestFile = Path.Combine(folder, "manifest.txt");
            await File.WriteAllBytesAsync(report, content);
            await File.WriteAllTextAsync(manifestFile, manifest, new UTF8Encoding(false));
            var info = new ProcessStartInfo("sh", ["-c", VerifyScript()])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
                Environment = { ["REPORT"] = report, ["MANIFEST"] = manifestFile, ["REPORTS_SIGNING_KEY"] = TestKeys.ReportSigningKey },
            };
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static async Task AssertVerifiesAsync(Export export)
    {
        var (code, output) = await VerifyAsync(export.Content, export.Manifest);
        Assert.True(code == 0, output);
        Assert.StartsWith("OK:", output);
    }

    /// <summary>One changed byte in the report, or in the signed part of the manifest, must fail verification.</summary>
    public static async Task AssertTamperingIsDetectedAsync(Export export)
    {
        var altered = (byte[])export.Content.Clone();
        altered[altered.Length / 2] ^= 0x01;
        var (contentCode, contentOutput) = await VerifyAsync(altered, export.Manifest);
        Assert.NotEqual(0, contentCode);
        Assert.Contains("content_sha256", contentOutput);

        var rows = export.Field("rows");
        var forged = export.Manifest.Replace($"rows={rows}\n", $"rows={long.Parse(rows) + 1}\n");
        var (manifestCode, manifestOutput) = await VerifyAsync(export.Content, forged);
        Assert.NotEqual(0, manifestCode);
        Assert.Contains("signature", manifestOutput);
    }

    public static void AssertContainsNone(Export export, IEnumerable<string> rawIds)
    {
        foreach (var raw in rawIds)
        {
            Assert.DoesNotContain(raw, export.Text);
            Assert.DoesNotContain(raw, export.Manifest);
        }
    }

    /// <summary>The README's verify-report block, exactly as an auditor would copy it.</summary>
    static string VerifyScript()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md"));
        var begin = text.IndexOf("<!-- verify-report:begin -->", StringComparison.Ordinal);
        Assert.True(begin >= 0, "README.md has no verify-report block.");
        var end = text.IndexOf("<!-- verify-report:end -->", begin, StringComparison.Ordinal);
        var block = text[begin..end];
        var start = block.IndexOf("```sh\n", StringComparison.Ordinal) + "```sh\n".Length;
        return block[start..block.LastIndexOf("```", StringComparison.Ordinal)];
    }
}
