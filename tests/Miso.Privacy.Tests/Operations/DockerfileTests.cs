using System.Text.RegularExpressions;

namespace Miso.Privacy.Tests.Operations;

/// <summary>The Dockerfiles read as text: build and runtime stages, a non-root user, a health check, and sources that exist.</summary>
public sealed partial class DockerfileTests
{
    [Fact]
    public void ServiceImage_IsBuiltWithTheSdk_AndRunsOnAspNetAsNonRoot_WithAHealthCheckOnReadiness()
    {
        var stages = Stages("Dockerfile");
        Assert.True(stages.Count >= 2, "not multi-stage");
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS \w+$", stages[0][0]);
        var runtime = stages[^1];
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0( AS \w+)?$", runtime[0]);

        var user = Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotMatch(@"^USER (root|0)(:|$)", user);
        Assert.Contains("EXPOSE 8080", runtime);
        Assert.Contains(runtime, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal) && l.Contains("/health/ready"));
        Assert.Equal("ENTRYPOINT [\"dotnet\", \"Miso.Privacy.dll\"]", runtime[^1]);
        // The migrate service runs the runner from this image.
        Assert.Contains(stages[0], l => l.Contains("publish migrations/Miso.Privacy.Migrations/"));
        Assert.Contains(runtime, l => l.StartsWith("COPY --from=", StringComparison.Ordinal) && l.EndsWith(" ./migrations/", StringComparison.Ordinal));
    }

    [Fact]
    public void EmulatorImage_RunsAsNonRoot_ReachableFromOtherContainers()
    {
        var runtime = Stages("src/Miso.Emulator/Dockerfile")[^1];
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0", runtime[0]);
        Assert.Contains(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.EndsWith(" root", StringComparison.Ordinal));
        Assert.Contains("ENV Kestrel__Endpoints__Http__Url=http://0.0.0.0:5090", runtime);
        Assert.Contains(runtime, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
    }

    /// <summary>A renamed project or props file breaks the image build; this catches it without Docker.</summary>
    [Theory]
    [InlineData("Dockerfile")]
    [InlineData("src/Miso.Emulator/Dockerfile")]
    public void EveryCopiedSource_ExistsInTheRepository_AndIsNotDockerIgnored(string dockerfile)
    {
        var ignored = File.ReadAllLines(Path.Combine(RepoRoot.Path, ".dockerignore"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Trim('/').Replace("**/", "")).ToArray();
        var copies = Stages(dockerfile).SelectMany(s => s).Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=")).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[1..^1])
            {
                var path = Path.Combine(RepoRoot.Path, source);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{dockerfile}: {copy} names {source}, which does not exist");
                Assert.DoesNotContain(Path.GetFileName(source.TrimEnd('/')), ignored);
            }
        }
    }

    /// <summary>The instructions of each stage, continuation lines joined, comments dropped.</summary>
    static List<List<string>> Stages(string dockerfile)
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot.Path, dockerfile));
        var lines = Continuation().Replace(text, " ").Split('\n')
            .Select(l => Spaces().Replace(l.Trim(), " ")).Where(l => l.Length > 0 && !l.StartsWith('#'));
        var stages = new List<List<string>>();
        foreach (var line in lines)
        {
            if (line.StartsWith("FROM ", StringComparison.Ordinal))
                stages.Add([]);
            Assert.True(stages.Count > 0, $"{dockerfile}: '{line}' comes before the first FROM");
            stages[^1].Add(line);
        }
        return stages;
    }

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex Continuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
