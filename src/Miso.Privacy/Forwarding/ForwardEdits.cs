using System.Buffers;

namespace Miso.Privacy.Forwarding;

/// <summary>
/// The byte ranges to cut from a body so that the dropped elements of a list (the records of a <c>data</c> array, the
/// members of an object) disappear with their separating commas, while every other byte is forwarded as sent.
/// </summary>
struct ForwardEdits
{
    int _firstStart;
    int _previousEnd;
    int _lastKeptEnd;
    bool _anyKept;
    List<int>? _dropped;
    List<(int Start, int End)>? _cuts;

    public readonly List<int>? DroppedIndexes => _dropped;
    public readonly List<(int Start, int End)>? Cuts => _cuts;

    /// <summary>Element <paramref name="index"/> spans [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public void Element(int index, int start, int end, bool drop)
    {
        if (index == 0) _firstStart = start;
        if (drop)
        {
            (_dropped ??= []).Add(index);
        }
        else
        {
            // The first kept element loses everything before it; a later one keeps the separator in front of
            // it, so what goes is the run from the previous kept element's end to the previous element's end.
            if (!_anyKept) Cut(_firstStart, start);
            else Cut(_lastKeptEnd, _previousEnd);
            _anyKept = true;
            _lastKeptEnd = end;
        }
        _previousEnd = end;
    }

    public void EndOfArray(int count)
    {
        if (count == 0) return;
        if (!_anyKept) Cut(_firstStart, _previousEnd);
        else Cut(_lastKeptEnd, _previousEnd);
    }

    void Cut(int start, int end)
    {
        if (end > start) (_cuts ??= []).Add((start, end));
    }

    /// <summary>Writes <paramref name="body"/> less the <paramref name="cuts"/> (in order, not overlapping).</summary>
    public static void Apply(ReadOnlySpan<byte> body, List<(int Start, int End)>? cuts, IBufferWriter<byte> output)
    {
        var position = 0;
        if (cuts is not null)
        {
            foreach (var (start, end) in cuts)
            {
                output.Write(body[position..start]);
                position = end;
            }
        }
        output.Write(body[position..]);
    }
}
