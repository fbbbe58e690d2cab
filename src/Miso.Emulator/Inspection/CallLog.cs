namespace Miso.Emulator.Inspection;

/// <summary>Bounded ring buffer of the most recent calls; the oldest are overwritten.</summary>
internal sealed class CallLog(int capacity)
{
    private readonly Lock gate = new();
    private readonly EmulatorCall[] ring = new EmulatorCall[Math.Max(1, capacity)];
    private int next;
    private int count;

    public void Record(EmulatorCall call)
    {
        lock (gate)
        {
            ring[next] = call;
            next = (next + 1) % ring.Length;
            count = Math.Min(count + 1, ring.Length);
        }
    }

    /// <returns>Up to <paramref name="limit"/> most recent matching calls, oldest first.</returns>
    public List<EmulatorCall> Recent(string? environment, int limit)
    {
        var result = new List<EmulatorCall>(Math.Min(limit, 1024));
        lock (gate)
        {
            for (var i = 1; i <= count && result.Count < limit; i++)
            {
                var call = ring[(next - i + ring.Length) % ring.Length];
                if (environment is null || call.Environment == environment)
                    result.Add(call);
            }
        }
        result.Reverse();
        return result;
    }

    public void Clear()
    {
        lock (gate)
        {
            Array.Clear(ring);
            next = 0;
            count = 0;
        }
    }
}
