namespace Bakery.Core.Steps.Internal;

/// <summary>One builder's part of a build event: its name, its AMIs by region, its own error when it failed.</summary>
internal sealed record BuildEventBuild
{
    public required string Name { get; init; }

    /// <summary>Region to AMI id: the image and its copies.</summary>
    public IReadOnlyDictionary<string, string> Amis { get; init; } = new Dictionary<string, string>();

    public string? Error { get; init; }
}
