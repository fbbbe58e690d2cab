namespace Miso.Emulator.Inspection;

/// <summary>Bounded ring buffer of the most recent calls; the oldest are overwritten.</summary>
sealed class CallLog(int capacity)
{
    readonly Lock _gate = new();
    readonly EmulatorCall[] _ring = new EmulatorCall[Math.Max(1, capacity)];
    int _next;
    int _count;

    public void Record(EmulatorCall call)
    {
        lock (_gate)
        {
            _ring[_next] = call;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    /// <returns>Up to <paramref name="limit"/> most recent matching calls, oldest first.</returns>
    public List<EmulatorCall> Recent(string? environment, int limit)
    {
        var result = new List<EmulatorCall>(Math.Min(limit, 1024));
        lock (_gate)
        {
            for (var i = 1; i <= _count && result.Count < limit; i++)
            {
                var call = _ring[(_next - i + _ring.Length) % _ring.Length];
                if (environment is null || call.Environment == environment)
                    result.Add(call);
            }
        }
        result.Reverse();
        return result;
    }

    public void Clear()
    {
        lock (_gate)
        {
            Array.Clear(_ring);
            _next = 0;
            _count = 0;
        }
    }
}
