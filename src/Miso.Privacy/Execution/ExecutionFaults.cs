namespace Miso.Privacy.Execution;

/// <summary>
/// A named point where crash tests stop a drain between Miso's answer and the commit that records it,
/// the hardest place to lose or double-count work. Does nothing in production.
/// </summary>
public class ExecutionFaults
{
    public virtual Task AfterMisoCallAsync(ClaimedBatch batch, CancellationToken ct) => Task.CompletedTask;
}
