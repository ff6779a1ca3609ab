using Bakery.Core.Steps;
using Bakery.Local.StepFunctions;

namespace Bakery.EndToEnd.Tests.Workflow;

/// <summary>
/// The collection's executions, each started in a later Unix second than any Prepare that went before it.
/// <c>{{timestamp}}</c>, which ends most build files' <c>ami_name</c> (the seed's too), is the second the build was
/// prepared in, as in Packer: two bakes of one build file prepared within one second render one name, and Prepare
/// rightly refuses the second (AmiNameInUse), as Packer does on AWS. With the collection's 5 ms waits a seed bake takes
/// well under a second, and its moto keeps every test's images, so tests that bake the same file back to back met
/// that rule at random. Waiting is no judgement of speed: the next bake starts in the next second, however long it
/// takes.
/// </summary>
public sealed class SecondApartRunner(StateMachineRunner runner, TimeProvider clock)
{
    private readonly Lock gate = new();
    private long lastPreparedSecond; // 1970: no Prepare yet, so nothing to wait for

    /// <summary>The runner itself, for callers that keep their names apart on their own (ConcurrentBakes).</summary>
    public StateMachineRunner Ungated => runner;

    /// <inheritdoc cref="StateMachineRunner.RunAsync"/>
    public async Task<StateMachineRunResult> RunAsync(
        string inputJson, Action<StateMachineEvent>? onEvent = null, CancellationToken cancellationToken = default)
    {
        await NextSecondAsync(cancellationToken);
        return await runner.RunAsync(
            inputJson,
            e =>
            {
                // Prepare has rendered the names once it has exited (or failed, when it made no image anyway).
                if (e.StateName == StepNames.Prepare && e.Type is "StateExited" or "StateFailed")
                {
                    Prepared();
                }

                onEvent?.Invoke(e);
            },
            cancellationToken);
    }

    private void Prepared()
    {
        var second = clock.GetUtcNow().ToUnixTimeSeconds();
        lock (gate)
        {
            lastPreparedSecond = Math.Max(lastPreparedSecond, second);
        }
    }

    private async Task NextSecondAsync(CancellationToken cancellationToken)
    {
        long last;
        lock (gate)
        {
            last = lastPreparedSecond;
        }

        var next = DateTimeOffset.FromUnixTimeSeconds(last + 1);
        var wait = next - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, cancellationToken);
        }
    }
}
