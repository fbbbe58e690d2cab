using System.Text;
using Microsoft.Extensions.Options;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Tests.Suppressions;

/// <summary>One set per environment: a key suppressed in one is invisible to the others, unless its row predates environments.</summary>
public sealed class SuppressionSetsTests
{
    static readonly SubjectHasher Hasher = new(Options.Create(new SubjectHashingOptions
    {
        SubjectHashKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
    }));

    static ulong Key(string userId) => Hasher.LookupKey(SubjectKind.UserId, userId);

    static bool Suppressed(SuppressionSets sets, string environment, string userId) =>
        sets.For(environment)(SubjectKind.UserId, Encoding.UTF8.GetBytes(userId));

    [Fact]
    public void AKeySuppressedInOneEnvironment_IsNotSuppressedInAnother()
    {
        var sets = new SuppressionSets(["production", "development"], Hasher);

        sets.Apply(new SuppressedKey(Key("dev-only"), "development"));

        Assert.True(Suppressed(sets, "development", "dev-only"));
        Assert.False(Suppressed(sets, "production", "dev-only"));
        Assert.False(sets.For("development")(SubjectKind.AnonymousId, "dev-only"u8));
        Assert.Equal(1, sets.CountIn("development"));
        Assert.Equal(0, sets.CountIn("production"));
    }

    [Fact]
    public void AKeyOfARowWithoutEnvironment_IsSuppressedEverywhere_UntilLifted()
    {
        var sets = new SuppressionSets(["production", "development"], Hasher);

        sets.Apply(new SuppressedKey(Key("old"), null));
        Assert.True(Suppressed(sets, "production", "old"));
        Assert.True(Suppressed(sets, "development", "old"));
        Assert.True(Suppressed(sets, "an-environment-configured-later", "old"));

        sets.Apply(new SuppressedKey(Key("old"), null, Active: false));
        Assert.False(Suppressed(sets, "production", "old"));
        Assert.False(Suppressed(sets, "development", "old"));
    }

    [Fact]
    public void ReplaceAll_PutsEachKeyInItsEnvironment_AndEmptiesTheOthers()
    {
        var sets = new SuppressionSets(["production", "development"], Hasher);
        sets.Apply(new SuppressedKey(Key("stale"), "production"));

        var loaded = new LoadedKeys();
        foreach (var key in new SuppressedKey[] { new(Key("p"), "production"), new(Key("d"), "development"), new(Key("both"), null), new(Key("gone"), "retired") })
            loaded.Add(key);
        sets.ReplaceAll(loaded);

        Assert.False(Suppressed(sets, "production", "stale"));
        Assert.True(Suppressed(sets, "production", "p"));
        Assert.False(Suppressed(sets, "production", "d"));
        Assert.True(Suppressed(sets, "development", "d"));
        Assert.True(Suppressed(sets, "development", "both"));
        Assert.True(Suppressed(sets, "production", "both"));
        Assert.True(Suppressed(sets, "retired", "gone"));
        Assert.Equal(["development", "production", "retired"], sets.Environments.Order());
    }

    [Fact]
    public void TheSamePredicate_IsHandedOutEveryTime_SoFilteringAllocatesNothing()
    {
        var sets = new SuppressionSets(["production"], Hasher);
        Assert.Same(sets.For("production"), sets.For("production"));
        Assert.Same(sets.For("unconfigured"), sets.For("unconfigured"));
    }

    [Fact]
    public void Version_IsStored()
    {
        var sets = new SuppressionSets([], Hasher) { Version = 17 };
        Assert.Equal(17, sets.Version);
    }
}
