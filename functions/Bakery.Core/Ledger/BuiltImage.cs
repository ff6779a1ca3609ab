namespace Bakery.Core.Ledger;

/// <summary>One AMI a build produced: the builder that made it and the region it is in.</summary>
public sealed record BuiltImage(string Builder, string Region, string ImageId)
{
    /// <summary>The test_image verdict (<c>passed</c>, <c>failed</c>); null when the build has no test.</summary>
    public string? Tested { get; init; }
}
