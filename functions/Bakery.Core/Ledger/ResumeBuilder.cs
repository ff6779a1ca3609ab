namespace Bakery.Core.Ledger;

/// <summary>
/// One builder of a failed build as a resume would take it up: where it continues (<see cref="From"/>, a
/// <see cref="Bake.ResumeInfo"/> value) with the images it already has (the image in its build region first, then its
/// copies), or, when it cannot continue, why (<see cref="Reason"/>, <see cref="From"/> null).
/// </summary>
public sealed record ResumeBuilder
{
    public required string Builder { get; init; }
    public string? From { get; init; }
    public string? Reason { get; init; }
    public IReadOnlyList<BuiltImage> Images { get; init; } = [];
}
