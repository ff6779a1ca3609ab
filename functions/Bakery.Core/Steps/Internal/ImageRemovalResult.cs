namespace Bakery.Core.Steps.Internal;

/// <summary>What <see cref="ImageRemoval"/> removed and left (<c>region:id</c>), with one line per failure.</summary>
internal sealed record ImageRemovalResult(
    IReadOnlyList<string> Deregistered,
    IReadOnlyList<string> ImagesLeft,
    IReadOnlyList<string> DeletedSnapshots,
    IReadOnlyList<string> SnapshotsLeft,
    IReadOnlyList<string> Errors);
