namespace Miso.Privacy.Execution;

public sealed record ClaimedItem(long Id, Guid RequestId, long SubjectId);

public sealed record ClaimedBatch(Guid Id, string Environment, MisoOperation Operation, IReadOnlyList<ClaimedItem> Items);

/// <summary>Raw user ids of a batch, deduplicated (two requests may name one person), with their keyed hashes for the audit.</summary>
public sealed record BatchSubjects(IReadOnlyList<string> UserIds, IReadOnlyList<byte[]> Hashes);
