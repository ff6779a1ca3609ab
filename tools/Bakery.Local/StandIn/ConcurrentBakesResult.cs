namespace Bakery.Local.StandIn;

/// <summary>Every bake of a <see cref="ConcurrentBakes"/> run (in upload order) and the wall time from the first start to the last end.</summary>
public sealed record ConcurrentBakesResult
{
    public required IReadOnlyList<ConcurrentBake> Bakes { get; init; }
    public required double WallMs { get; init; }
}
