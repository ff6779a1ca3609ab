namespace Bakery.Core.Janitor;

/// <summary>The janitor's input: the regions to sweep (default: the function's configured regions). Unknown fields (a scheduled event's) are ignored.</summary>
public sealed record JanitorRequest
{
    public IReadOnlyList<string>? Regions { get; init; }
}
