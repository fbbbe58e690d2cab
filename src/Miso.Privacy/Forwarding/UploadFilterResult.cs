using System.Buffers;
using System.Collections;

namespace Miso.Privacy.Forwarding;

public sealed class UploadFilterResult
{
    readonly ReadOnlyMemory<byte> _body;
    readonly List<int>? _droppedIndexes;
    readonly List<(int Start, int End)>? _cuts;
    IReadOnlyList<int>? _kept;

    UploadFilterResult(UploadFilterError error) => Error = error;

    internal UploadFilterResult(ReadOnlyMemory<byte> body, int received, List<int>? droppedIndexes, List<(int Start, int End)>? cuts)
    {
        _body = body;
        Received = received;
        Dropped = droppedIndexes?.Count ?? 0;
        _droppedIndexes = droppedIndexes;
        _cuts = cuts;
    }

    internal static UploadFilterResult Failed(UploadFilterError error) => new(error);

    /// <summary>Null when the body was a well-formed upload.</summary>
    public UploadFilterError? Error { get; }

    /// <summary>Elements in <c>data</c>.</summary>
    public int Received { get; }

    public int Dropped { get; }

    public bool NothingDropped => Dropped == 0;

    /// <summary>Forwarded element k was at <c>data[KeptOriginalIndexes[k]]</c> in the caller's body.</summary>
    public IReadOnlyList<int> KeptOriginalIndexes => _kept ??= BuildKept();

    /// <summary>The body to send to Miso: the original bytes, less the dropped records and their separators.</summary>
    public void WriteForwardBody(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Error is not null) throw new InvalidOperationException($"The body was rejected ({Error.StatusCode}); there is nothing to forward.");

        ForwardEdits.Apply(_body.Span, _cuts, output);
    }

    public int MapToOriginalIndex(int forwardedIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(forwardedIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(forwardedIndex, Received - Dropped);
        return _droppedIndexes is null ? forwardedIndex : KeptOriginalIndexes[forwardedIndex];
    }

    IReadOnlyList<int> BuildKept()
    {
        if (_droppedIndexes is null) return new Identity(Received);

        var kept = new int[Received - Dropped];
        var next = 0;
        var d = 0;
        for (var original = 0; original < Received; original++)
        {
            if (d < _droppedIndexes.Count && _droppedIndexes[d] == original) d++;
            else kept[next++] = original;
        }
        return kept;
    }

    /// <summary>Nothing dropped: indexes map to themselves, without an array of them.</summary>
    sealed class Identity(int count) : IReadOnlyList<int>
    {
        public int Count => count;

        public int this[int index] => (uint)index < (uint)count ? index : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<int> GetEnumerator() => Enumerable.Range(0, count).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
