using Miso.Emulator.Inspection;

namespace Miso.Privacy.IntegrationTests.Execution;

/// <summary>Facts read off the emulator's call log, the ground truth of what reached "Miso".</summary>
public static class CallLog
{
    public static bool IsDelete(EmulatorCall c) =>
        c.Method == "DELETE" && c.Path == "/v1/interactions" || c.Method == "POST" && c.Path == "/v1/users/_delete";

    /// <summary>The most calls that started within any one-second window.</summary>
    public static int MaxInAnySecond(IEnumerable<EmulatorCall> calls)
    {
        var times = calls.Select(c => c.Time).Order().ToList();
        int max = 0, start = 0;
        for (var end = 0; end < times.Count; end++)
        {
            while (times[end] - times[start] >= TimeSpan.FromSeconds(1))
                start++;
            max = Math.Max(max, end - start + 1);
        }
        return max;
    }
}
