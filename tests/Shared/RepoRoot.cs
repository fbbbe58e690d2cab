namespace Miso.Privacy.TestSupport;

/// <summary>The checkout the tests run from, found by its solution file; shared by both test projects.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Miso.Privacy.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Miso.Privacy.sln not found above the test binaries.");
    }
}
