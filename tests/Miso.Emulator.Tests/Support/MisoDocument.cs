using System.Text.Json;
using Miso.Emulator.Schemas;

namespace Miso.Emulator.Tests.Support;

/// <summary>The repository's copy of Miso's OpenAPI document (<c>src/Miso.Emulator/Reference/miso-openapi.json</c>), read at test time.</summary>
public static class MisoDocument
{
    public const string RelativePath = "src/Miso.Emulator/Reference/miso-openapi.json";

    static readonly Lazy<string> _file = new(() => Path.Combine(RepositoryRoot(), RelativePath));
    static readonly Lazy<MisoOpenApi> _api = new(() =>
    {
        using var stream = File.OpenRead(_file.Value);
        return MisoOpenApi.Load(stream);
    });

    public static MisoOpenApi Api => _api.Value;

    public static IReadOnlyList<MisoOperation> Operations() => Api.Operations();

    public static TheoryData<string> OperationNames() => [.. Operations().Select(o => o.ToString())];

    public static MisoOperation Operation(string name) => Operations().Single(o => o.ToString() == name);

    /// <summary>Problems of an answer against the named schema of the document; empty when it conforms.</summary>
    public static IReadOnlyList<string> Check(string schema, JsonElement answer) => Api.Check(schema, answer);

    static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Miso.Privacy.sln")))
                return directory.FullName;
        throw new InvalidOperationException($"No Miso.Privacy.sln above {AppContext.BaseDirectory}.");
    }
}
