namespace Bakery.Core.Bake;

/// <summary>
/// One step of a bake: takes the state, does one thing, returns the new state. AWS clients and
/// <see cref="TimeProvider"/> come in through the constructor. Failures are exceptions whose short type name
/// is the workflow's error name (see <c>Exceptions/</c>).
/// </summary>
public interface IBakeStep
{
    /// <summary>The step's name: the Lambda <c>_HANDLER</c> value and the state machine's vocabulary.</summary>
    string Name { get; }

    Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken);
}
