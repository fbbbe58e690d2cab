using Miso.Emulator.Engine;
using Miso.Emulator.Inspection;
using Miso.Emulator.Interactions;
using Miso.Emulator.Products;
using Miso.Emulator.Users;

namespace Miso.Emulator.Environments;

sealed class EnvironmentState(EmulatedEnvironment definition)
{
    long _uploads;
    long _rejected;
    long _deleteCalls;
    long _deletedUserIds;
    long _userDeleteCalls;

    public EmulatedEnvironment Definition { get; } = definition;
    public string Name => Definition.Name;
    public InteractionStore Interactions { get; } = new();
    public UserStore Users { get; } = new();
    public ProductStore Products { get; } = new();
    public AskedQuestions Questions { get; } = new();
    public QuestionBank QuestionBank { get; } = new();

    public void CountUpload() => Interlocked.Increment(ref _uploads);
    public void CountRejected() => Interlocked.Increment(ref _rejected);
    public void CountUserDelete() => Interlocked.Increment(ref _userDeleteCalls);

    public void CountDelete(int userIds)
    {
        Interlocked.Increment(ref _deleteCalls);
        Interlocked.Add(ref _deletedUserIds, userIds);
    }

    public EmulatorStats Stats() => new(
        Interlocked.Read(ref _uploads),
        Interactions.Count,
        Interlocked.Read(ref _deleteCalls),
        Interlocked.Read(ref _deletedUserIds),
        Interlocked.Read(ref _userDeleteCalls),
        Interlocked.Read(ref _rejected));

    public void Reset()
    {
        Interactions.Clear();
        Users.Clear();
        Products.Clear();
        Questions.Clear();
        QuestionBank.Clear();
        Interlocked.Exchange(ref _uploads, 0);
        Interlocked.Exchange(ref _rejected, 0);
        Interlocked.Exchange(ref _deleteCalls, 0);
        Interlocked.Exchange(ref _deletedUserIds, 0);
        Interlocked.Exchange(ref _userDeleteCalls, 0);
    }
}
