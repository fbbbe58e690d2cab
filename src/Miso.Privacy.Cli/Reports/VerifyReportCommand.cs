using System.CommandLine;

namespace Miso.Privacy.Cli.Reports;

/// <summary>
/// <c>verify-report FILE --keys JWKS</c>: offline, with a key set from a file (or fetched from a URL, which proves less:
/// compare it with a copy you were given another way). Exit 0 valid, 1 invalid.
/// </summary>
static class VerifyReportCommand
{
    public static Command Create(CommonOptions common)
    {
        var report = new Argument<string>("file") { Description = "The exported report" };
        var manifest = new Option<string>("--manifest") { Description = "Its manifest [default: FILE.manifest]" };
        var keys = new Option<string>("--keys") { Description = "The signing keys: a JWKS file, or its URL (/api/v1/reports/signing-keys)", Required = true };
        var command = new Command("verify-report", "Check a report against its signed manifest, offline: exit 0 valid, 1 invalid") { report, manifest, keys };
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(report)!;
            var manifestFile = parse.GetValue(manifest) ?? file + ".manifest";
            var manifestBytes = await Read(manifestFile, f => File.ReadAllBytesAsync(f, ct));
            var (keySet, problem) = KeySet.Parse(await LoadKeysAsync(common, parse.GetValue(keys)!, ct));
            if (keySet is null)
                throw new CliFailure(ExitCodes.Failed, $"Cannot verify: {problem}.");
            Verdict verdict;
            await using (var content = await Read(file, f => Task.FromResult<Stream>(File.OpenRead(f))))
                verdict = ReportVerifier.Verify(content, manifestBytes, keySet);

            var m = verdict.Manifest;
            if (common.WantsJson(parse))
                CliJson.Write(common.Console.Out, new
                {
                    verdict.Valid, verdict.Problems, ReportId = m?["report_id"], Report = m?["report"], Rows = m?["rows"],
                    PeriodFrom = m?["period_from"], PeriodTo = m?["period_to"], Kid = m?["kid"],
                    ChainHead = m is null ? null : $"{m["chain_head_seq"]}:{m["chain_head_hash"]}",
                });
            else if (verdict.Valid)
                common.Console.Out.WriteLine($"OK: {m!["report"]} report {m["report_id"]}, {m["rows"]} rows, period {Or(m["period_from"], "(start)")} to "
                    + $"{m["period_to"]}, exported {m["generated_at"]} by {m["generated_by"]}, signed by {m["kid"]}; "
                    + $"chain head {m["chain_head_seq"]}:{m["chain_head_hash"]}.");
            foreach (var line in verdict.Problems)
                common.Console.Error.WriteLine($"FAIL: {line}.");
            return verdict.Valid ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    static string Or(string? value, string otherwise) => string.IsNullOrEmpty(value) ? otherwise : value;

    static async Task<string> LoadKeysAsync(CommonOptions common, string source, CancellationToken ct)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return await Read(source, f => File.ReadAllTextAsync(f, ct));
        // The key set is public: no API key is sent for it.
        using var client = Http.ServiceClient.Create(new Uri(url, "/"), null, common.Console);
        return System.Text.Encoding.UTF8.GetString(await client.GetBytesAsync(url.PathAndQuery.TrimStart('/'), ct));
    }

    static async Task<T> Read<T>(string file, Func<string, Task<T>> read)
    {
        try
        {
            return await read(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliFailure.Usage($"Cannot read {file}: {e.Message}");
        }
    }
}
