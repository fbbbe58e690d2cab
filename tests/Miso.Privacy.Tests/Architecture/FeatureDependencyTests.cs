using Miso.Privacy.Suppressions;
using NetArchTest.Rules;

namespace Miso.Privacy.Tests.Architecture;

/// <summary>
/// Dependencies between features point one way: Erasure, Forwarding and Execution use Suppressions, and
/// everything uses Subjects; Audit and Reports use Signing, which uses no feature; ApiKeys uses only Audit; never the
/// reverse. Checked over compiled code, method bodies included.
/// </summary>
public sealed class FeatureDependencyTests
{
    static readonly System.Reflection.Assembly Service = typeof(SuppressionSet).Assembly;

    public static TheoryData<string, string[]> Rules() => new()
    {
        { "Miso.Privacy.Suppressions", ["Miso.Privacy.Erasure", "Miso.Privacy.Forwarding", "Miso.Privacy.Execution",
            "Miso.Privacy.Reports", "Miso.Privacy.Dashboard", "Miso.Privacy.Miso"] },
        { "Miso.Privacy.Signing", ["Miso.Privacy.Audit", "Miso.Privacy.Subjects", "Miso.Privacy.Suppressions", "Miso.Privacy.Erasure",
            "Miso.Privacy.Forwarding", "Miso.Privacy.Execution", "Miso.Privacy.Reports", "Miso.Privacy.Dashboard", "Miso.Privacy.Miso"] },
        { "Miso.Privacy.Subjects", ["Miso.Privacy.Suppressions", "Miso.Privacy.Erasure", "Miso.Privacy.Forwarding",
            "Miso.Privacy.Execution", "Miso.Privacy.Reports", "Miso.Privacy.Dashboard", "Miso.Privacy.Miso", "Miso.Privacy.Audit"] },
        // The envelope is cryptography over bytes it is handed: it knows no feature.
        { "Miso.Privacy.Retention", ["Miso.Privacy.Audit", "Miso.Privacy.Subjects", "Miso.Privacy.Suppressions", "Miso.Privacy.Erasure",
            "Miso.Privacy.Forwarding", "Miso.Privacy.Execution", "Miso.Privacy.Reports", "Miso.Privacy.Dashboard", "Miso.Privacy.Miso",
            "Miso.Privacy.Sweeps"] },
        // Who a caller is depends on no feature but the audit chain its key changes are recorded in.
        { "Miso.Privacy.ApiKeys", ["Miso.Privacy.Subjects", "Miso.Privacy.Suppressions", "Miso.Privacy.Erasure", "Miso.Privacy.Forwarding",
            "Miso.Privacy.Execution", "Miso.Privacy.Reports", "Miso.Privacy.Dashboard", "Miso.Privacy.Miso"] },
        // Webhooks deliver what any feature changes; OpenDSR plugs its callback format in, never the other way round.
        { "Miso.Privacy.Webhooks", ["Miso.Privacy.OpenDsr", "Miso.Privacy.Forwarding", "Miso.Privacy.Reports", "Miso.Privacy.Dashboard",
            "Miso.Privacy.Miso"] },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Feature_UsesNoneOfTheFeaturesAboveIt(string feature, string[] forbidden)
    {
        var types = Types.InAssembly(Service).That().ResideInNamespace(feature);
        Assert.NotEmpty(types.GetTypes());
        var result = types.ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
        Assert.True(result.IsSuccessful,
            $"{feature} must not use {string.Join(", ", forbidden)}; these do: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }
}
