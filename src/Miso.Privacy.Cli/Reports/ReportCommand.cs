using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;

namespace Miso.Privacy.Cli.Reports;

/// <summary>
/// <c>report erasures|subjects|audit -o FILE</c>: streams an export to FILE and saves its signed manifest beside it as
/// FILE.manifest, once the bytes received match the manifest's content_sha256 (a cut download is not left looking whole).
/// </summary>
static class ReportCommand
{
    sealed record Kind(string Name, string Path, string Description, string[] Formats);

    static readonly Kind[] Kinds =
    [
        new("erasures", "api/v1/reports/erasures", "One row per request: dates, status, deadline outcome, subject counts", ["csv", "json", "html"]),
        new("subjects", "api/v1/reports/erasure-subjects", "One row per request and subject (keyed hash) with its deletion per environment", ["csv", "json"]),
        new("audit", "api/v1/audit/events", "The audit events, with the fields their hashes cover", ["jsonl", "csv"]),
    ];

    public static Command Create(CommonOptions common)
    {
        var command = new Command("report", "Export a report and its signed manifest (FILE and FILE.manifest)");
        foreach (var kind in Kinds)
            command.Subcommands.Add(Subcommand(common, kind));
        return command;
    }

    static Command Subcommand(CommonOptions common, Kind kind)
    {
        var from = OptionKinds.Bound("--from", "Received at or after [default: no lower bound]");
        var to = OptionKinds.Bound("--to", "Received before [default: now]");
        var output = new Option<string>("--output", "-o") { Description = "The file to write; its manifest goes to FILE.manifest", Required = true };
        var format = OptionKinds.Choice("--format", $"[default: from the file's extension, else {kind.Formats[0]}]", null, kind.Formats);
        var requestId = new Option<string>("--request-id") { Description = "Only the events of this request" };
        requestId.Validators.Add(result =>
        {
            if (!Guid.TryParseExact(result.Tokens.Single().Value, "D", out _))
                result.AddError("--request-id must be a request's id (a UUID).");
        });
        var command = new Command(kind.Name, kind.Description) { from, to, output, format };
        if (kind.Name == "audit")
            command.Options.Add(requestId);
        command.SetAction(async (parse, ct) =>
        {
            var file = Path.GetFullPath(parse.GetValue(output)!);
            if (Path.GetDirectoryName(file) is { } folder && !Directory.Exists(folder))
                throw CliFailure.Usage($"{folder} does not exist: make it first, or write elsewhere.");
            var chosen = parse.GetValue(format)
                ?? kind.Formats.FirstOrDefault(f => Path.GetExtension(file).Equals("." + f, StringComparison.OrdinalIgnoreCase))
                ?? kind.Formats[0];
            var query = new List<string> { $"format={chosen}" };
            if (parse.GetValue(from) is { } start)
                query.Add($"from={Uri.EscapeDataString(start)}");
            if (parse.GetValue(to) is { } end)
                query.Add($"to={Uri.EscapeDataString(end)}");
            if (kind.Name == "audit" && parse.GetValue(requestId) is { } request)
                query.Add($"request_id={request}");

            using var client = common.Connect(parse);
            var saved = await DownloadAsync(client, $"{kind.Path}?{string.Join('&', query)}", file, ct);
            if (common.WantsJson(parse))
                CliJson.Write(common.Console.Out, saved);
            else
            {
                common.Console.Out.WriteLine($"Wrote {saved.File} ({Show.Count(saved.Rows)} rows, {Show.Count(saved.Bytes)} bytes) and {saved.Manifest}.");
                common.Console.Out.WriteLine($"Chain head at export: {saved.ChainHead}. Keep it; later, "
                    + $"'miso-privacy audit verify --checkpoint {saved.ChainHead}' shows whether the trail was changed since.");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    sealed record Saved(string File, string Manifest, string ReportId, long Rows, long Bytes, string ContentSha256, string ChainHead);

    static async Task<Saved> DownloadAsync(Http.ServiceClient client, string path, string file, CancellationToken ct)
    {
        var partial = file + ".partial";
        string reportId, sha256;
        long bytes = 0;
        try
        {
            using (var response = await client.OpenAsync(path, ct))
            {
                reportId = response.Headers.TryGetValues("X-Report-Id", out var ids) ? ids.Single() : throw NoManifest();
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                await using var target = File.Create(partial);
                var buffer = new byte[81920];
                for (int read; (read = await body.ReadAsync(buffer, ct)) > 0; bytes += read)
                {
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            // The manifest is recorded once the body has been sent to its end, which it now has.
            var manifestBytes = await client.GetBytesAsync($"api/v1/reports/manifests/{reportId}", ct);
            var (manifest, problem) = Manifest.Parse(manifestBytes);
            if (manifest is null)
                throw new CliFailure(ExitCodes.ServiceError, $"The service's manifest cannot be read: {problem}.");
            if (manifest["content_sha256"] != sha256)
                throw new CliFailure(ExitCodes.ServiceError, "The report received does not match its manifest's content_sha256 (the download was cut "
                    + "or changed on the way); nothing was written. Run the command again.");
            File.Move(partial, file, overwrite: true);
            await File.WriteAllBytesAsync(file + ".manifest", manifestBytes, ct);
            _ = long.TryParse(manifest["rows"], CultureInfo.InvariantCulture, out var rows);
            return new Saved(file, file + ".manifest", reportId, rows, bytes, sha256, $"{manifest["chain_head_seq"]}:{manifest["chain_head_hash"]}");
        }
        catch (HttpIOException e)
        {
            throw new CliFailure(ExitCodes.Unreachable, $"The connection broke while the report was arriving ({e.Message}); nothing was written.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliFailure(ExitCodes.Failed, $"Cannot write {file}: {e.Message}");
        }
        finally
        {
            File.Delete(partial);
        }
    }

    static CliFailure NoManifest() =>
        new(ExitCodes.ServiceError, "The export came without an X-Report-Id header, so its manifest cannot be found: is the URL this service's?");
}
