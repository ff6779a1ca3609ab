namespace Bakery.BuildFiles.Settings;

/// <summary>
/// <c>capacity</c>: what Launch does when EC2 has no capacity for the instance it asks for (packer#8740: Packer fails the
/// build). The build file's type (<c>instance_type</c>, or each of <c>spot_instance_types</c>) comes first, then
/// <see cref="FallbackInstanceTypes"/> in order; with <c>spot_price</c> set every type is tried as spot first, and
/// <see cref="OnDemandFallback"/> then tries the same types on-demand (docs/build-files.md, "Capacity fallback").
/// </summary>
public sealed record CapacitySettings
{
    /// <summary>Instance types tried after the build file's own, in this order.</summary>
    public IReadOnlyList<string> FallbackInstanceTypes { get; init; } = [];

    /// <summary>With <c>spot_price</c> set: when no spot attempt launched, try every type again on-demand.</summary>
    public bool OnDemandFallback { get; init; }
}
