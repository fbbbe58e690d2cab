using Microsoft.Extensions.Options;
using Miso.Privacy.Miso;
using Miso.Privacy.Sweeps;

namespace Miso.Privacy.Execution;

/// <summary>
/// One drain pass: plan new requests and sweeps that came due, then send batches for every environment and operation until
/// nothing is worth sending, within a time budget so a job never runs for long.
/// </summary>
public sealed class Drainer(IServiceScopeFactory scopes, IOptions<MisoOptions> miso, ILogger<Drainer> logger)
{
    static readonly TimeSpan Budget = TimeSpan.FromSeconds(50);
    static readonly TimeSpan PlanningPoll = TimeSpan.FromMilliseconds(250);

    public async Task DrainAsync(CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        using (var scope = scopes.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<WorkPlanner>().PlanAsync(ct);
            await scope.ServiceProvider.GetRequiredService<SweepPlanner>().PlanDueAsync(ct);
        }

        // A backlog is planned a chunk at a time while the streams send what is planned already.
        var planning = PlanTheRestAsync(started, ct);
        var streams = miso.Value.Environments
            .SelectMany(e => new[] { MisoOperation.DeleteInteractions, MisoOperation.DeleteUser }.Select(op => (e.Name, op)));
        // Environments and operations drain side by side; each stream sends its batches one after another.
        await Task.WhenAll(streams.Select(s => DrainStreamAsync(s.Name, s.op, started, planning, ct)).Append(planning));
    }

    async Task PlanTheRestAsync(DateTime started, CancellationToken ct)
    {
        while (DateTime.UtcNow - started < Budget && !ct.IsCancellationRequested)
        {
            using var scope = scopes.CreateScope();
            if (await scope.ServiceProvider.GetRequiredService<WorkPlanner>().PlanAsync(ct) == 0)
                return;
        }
    }

    async Task DrainStreamAsync(string environment, MisoOperation operation, DateTime started, Task planning, CancellationToken ct)
    {
        while (DateTime.UtcNow - started < Budget && !ct.IsCancellationRequested)
        {
            using var scope = scopes.CreateScope();
            var batch = await scope.ServiceProvider.GetRequiredService<BatchClaims>().ClaimAsync(environment, operation, ct);
            // Sweeps only take what first erasures leave: the same stream, claims, lease and rate gate, lower priority.
            var sweep = batch is null ? await scope.ServiceProvider.GetRequiredService<SweepClaims>().ClaimAsync(environment, operation, ct) : null;
            if (batch is null && sweep is null)
            {
                if (planning.IsCompleted)
                    return;
                // Nothing due yet while planning goes on: look again when the next chunk may be in.
                await Task.WhenAny(planning, Task.Delay(PlanningPoll, ct));
                continue;
            }
            try
            {
                if (batch is not null)
                    await scope.ServiceProvider.GetRequiredService<BatchRunner>().RunAsync(batch, ct);
                else
                    await scope.ServiceProvider.GetRequiredService<SweepRunner>().RunAsync(sweep!, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The batch keeps its lease and is taken again when it runs out; nothing is lost.
                logger.LogError(e, "Batch {BatchId} in {Environment} failed before its outcome was recorded", (batch ?? sweep)!.Id, environment);
                return;
            }
        }
    }
}
