using Miso.Emulator.Inspection;
using Miso.Emulator.Interactions;
using Miso.Emulator.Users;

namespace Miso.Emulator.Environments;

internal sealed class EnvironmentState(EmulatedEnvironment definition)
{
    private long uploads;
    private long rejected;
    private long deleteCalls;
    private long deletedUserIds;
    private long userDeleteCalls;

    public EmulatedEnvironment Definition { get; } = definition;
    public string Name => Definition.Name;
    public InteractionStore Interactions { get; } = new();
    public UserStore Users { get; } = new();

    public void CountUpload() => Interlocked.Increment(ref uploads);
    public void CountRejected() => Interlocked.Increment(ref rejected);
    public void CountUserDelete() => Interlocked.Increment(ref userDeleteCalls);

    public void CountDelete(int userIds)
    {
        Interlocked.Increment(ref deleteCalls);
        Interlocked.Add(ref deletedUserIds, userIds);
    }

    public EmulatorStats Stats() => new(
        Interlocked.Read(ref uploads),
        Interactions.Count,
        Interlocked.Read(ref deleteCalls),
        Interlocked.Read(ref deletedUserIds),
        Interlocked.Read(ref userDeleteCalls),
        Interlocked.Read(ref rejected));

    public void Reset()
    {
        Interactions.Clear();
        Users.Clear();
        Interlocked.Exchange(ref uploads, 0);
        Interlocked.Exchange(ref rejected, 0);
        Interlocked.Exchange(ref deleteCalls, 0);
        Interlocked.Exchange(ref deletedUserIds, 0);
        Interlocked.Exchange(ref userDeleteCalls, 0);
    }
}
