using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Miso.Privacy.Benchmarks;

if (args is ["--seed-suppressions", var connection, var hashKey, var count, var environment])
{
    await SuppressionSeeder.RunAsync(connection, hashKey, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), environment);
    return;
}

if (args is ["--memory"])
{
    MemoryFootprint.Print();
    return;
}

// In-process, so no generated project inherits the repo's warnings-as-errors build, and short runs,
// so the whole suite stays within a few minutes on two cores.
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .AddColumn(new ThroughputColumn())
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(MemoryFootprint).Assembly).Run(args, config);
