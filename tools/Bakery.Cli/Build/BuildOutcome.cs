using Bakery.Core.Bake;

namespace Bakery.Cli.Build;

/// <summary>How one build (one builder) ended: its final state, or the step and error that stopped it.</summary>
internal sealed record BuildOutcome
{
    public required string Name { get; init; }
    public BakeState? State { get; init; }
    public string? FailedStep { get; init; }
    public string? Error { get; init; }
    public string? Cause { get; init; }
    public bool Succeeded => Error is null && State?.Image is not null;

    /// <summary>Region → AMI id: the image and its copies.</summary>
    public IReadOnlyDictionary<string, string> Amis =>
        State?.Image is not { } image
            ? new Dictionary<string, string>()
            : new[] { image }.Concat(State.Copies).GroupBy(i => i.Region).ToDictionary(g => g.Key, g => g.Last().ImageId, StringComparer.Ordinal);
}
