namespace Miso.Privacy.Execution;

/// <summary>A claimed item; a work item's claim also brings its raw user id and keyed hash, so the batch needs no second read.</summary>
public sealed record ClaimedItem(long Id, Guid RequestId, long SubjectId)
{
    public string? UserId { get; init; }
    public byte[]? Hash { get; init; }
}

/// <summary>
/// <see cref="Started"/>: every request of the batch was already in progress when it was claimed, so none can be cancelled
/// any more (a cancel needs a pending request) and the batch goes straight to Miso.
/// </summary>
public sealed record ClaimedBatch(Guid Id, string Environment, MisoOperation Operation, IReadOnlyList<ClaimedItem> Items)
{
    public bool Started { get; init; }
}

/// <summary>Raw user ids of a batch, deduplicated (two requests may name one person), with their keyed hashes for the audit.</summary>
public sealed record BatchSubjects(IReadOnlyList<string> UserIds, IReadOnlyList<byte[]> Hashes);
