using System.Diagnostics;

namespace Miso.Privacy.IntegrationTests.Reports;

/// <summary>
/// Runs a shell block of the README (between <c>&lt;!-- name:begin --&gt;</c> and <c>&lt;!-- name:end --&gt;</c>) exactly as an
/// auditor would copy it, with sh, in a folder of its own: the files it is given are written there and named by the
/// variables, and PUBLIC_KEY names the signing key's PEM.
/// </summary>
public static class ReadmeRecipe
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string name, string publicKeyPem, Dictionary<string, byte[]> files)
    {
        var folder = Directory.CreateTempSubdirectory("miso-recipe-").FullName;
        try
        {
            var info = new ProcessStartInfo("sh", ["-c", Block(name)]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
            var key = Path.Combine(folder, "signing-key.pem");
            await File.WriteAllTextAsync(key, publicKeyPem);
            info.Environment["PUBLIC_KEY"] = key;
            foreach (var (variable, content) in files)
            {
                var file = Path.Combine(folder, variable.ToLowerInvariant() + ".in");
                await File.WriteAllBytesAsync(file, content);
                info.Environment[variable] = file;
            }
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

    static string Block(string name)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md"));
        var begin = text.IndexOf($"<!-- {name}:begin -->", StringComparison.Ordinal);
        Assert.True(begin >= 0, $"README.md has no {name} block.");
        var end = text.IndexOf($"<!-- {name}:end -->", begin, StringComparison.Ordinal);
        var block = text[begin..end];
        var start = block.IndexOf("```sh\n", StringComparison.Ordinal) + "```sh\n".Length;
        return block[start..block.LastIndexOf("```", StringComparison.Ordinal)];
    }
}
