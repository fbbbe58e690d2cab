using System.Collections.Frozen;
using Miso.Privacy.Subjects;

namespace Miso.Privacy.Suppressions;

/// <summary>
/// One <see cref="SuppressionSet"/> per Miso environment, plus one for the rows that predate per-environment
/// suppression and drop uploads everywhere; and the version of the database all of them reflect. An upload looks
/// its ids up in its environment's set only, through a predicate made once per environment, so filtering costs what
/// it did with one set: the every-environment set is asked only when it holds anything.
/// </summary>
public sealed class SuppressionSets
{
    readonly SubjectHasher _hasher;
    readonly BlockedUploads? _blocked;
    readonly SuppressionSet _everywhere = new();
    readonly Lock _gate = new();
    FrozenDictionary<string, Scope> _scopes;
    long _version;

    /// <param name="blocked">Told of every id the predicate finds suppressed (a record dropped), by lookup key only.</param>
    public SuppressionSets(IEnumerable<string> environments, SubjectHasher hasher, BlockedUploads? blocked = null)
    {
        _hasher = hasher;
        _blocked = blocked;
        _scopes = environments.Distinct(StringComparer.Ordinal).ToFrozenDictionary(e => e, NewScope, StringComparer.Ordinal);
    }

    /// <summary>Published after the keys it covers, so a reader that sees it also sees them.</summary>
    public long Version
    {
        get => Volatile.Read(ref _version);
        set => Volatile.Write(ref _version, value);
    }

    /// <summary>The environments that have a set: every configured one, and any other a stored row names.</summary>
    public IReadOnlyCollection<string> Environments => Volatile.Read(ref _scopes).Keys;

    /// <summary>Whether an id (unescaped UTF-8) is suppressed in <paramref name="environment"/>; allocates nothing per call.</summary>
    public SubjectPredicate For(string environment) => ScopeOf(environment).Predicate;

    /// <summary>Subjects suppressed in <paramref name="environment"/> (a subject in both its set and the every-environment set counts twice).</summary>
    public int CountIn(string environment) => ScopeOf(environment).Set.Count + _everywhere.Count;

    /// <summary>Rebuilds every set from a full load; see <see cref="SuppressionSet.ReplaceAll"/> for writes made meanwhile.</summary>
    public void ReplaceAll(LoadedKeys keys)
    {
        _everywhere.ReplaceAll(keys.Everywhere);
        foreach (var name in keys.ByEnvironment.Keys)
            ScopeOf(name);
        foreach (var (name, scope) in Volatile.Read(ref _scopes))
            scope.Set.ReplaceAll(keys.ByEnvironment.GetValueOrDefault(name) ?? []);
    }

    /// <summary>Applies a key's final state in one environment (null: everywhere); idempotent.</summary>
    public void Apply(SuppressedKey change)
    {
        var set = change.Environment is { } name ? ScopeOf(name).Set : _everywhere;
        if (change.Active) set.Add(change.Key);
        else set.Remove(change.Key);
    }

    Scope ScopeOf(string environment)
    {
        if (Volatile.Read(ref _scopes).TryGetValue(environment, out var scope))
            return scope;
        lock (_gate)
        {
            var scopes = _scopes;
            if (scopes.TryGetValue(environment, out scope))
                return scope;
            scope = NewScope(environment);
            // Copied whole and published at once: readers never see a dictionary being changed.
            Volatile.Write(ref _scopes, scopes.Append(new(environment, scope)).ToFrozenDictionary(StringComparer.Ordinal));
            return scope;
        }
    }

    Scope NewScope(string environment)
    {
        var set = new SuppressionSet();
        var everywhere = _everywhere;
        var hasher = _hasher;
        var blocked = _blocked;
        return new Scope(set, (kind, value) =>
        {
            var key = hasher.LookupKey(kind, value);
            if (!set.Contains(key) && (everywhere.Count == 0 || !everywhere.Contains(key)))
                return false;
            // The filter asks no further about a record once an id in it is suppressed: one call per dropped record.
            blocked?.Record(environment, key);
            return true;
        });
    }

    sealed record Scope(SuppressionSet Set, SubjectPredicate Predicate);
}
