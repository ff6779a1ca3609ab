using Amazon.Runtime;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// The RunInstances errors another instance type or market may not get (EC2 API reference, "Error codes for the Amazon
/// EC2 API", https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html): no capacity for the type in
/// the zone (InsufficientInstanceCapacity, a 5xx that is not worth retrying as is; UnfulfillableCapacity for spot), the
/// type not offered there (Unsupported), a limit that counts per type family or per market (InstanceLimitExceeded,
/// VcpuLimitExceeded, MaxSpotInstanceCountExceeded), and a spot_price under the current spot price (SpotMaxPriceTooLow).
/// Anything else (a bad AMI, a denied permission) would fail the same way for every type, so Launch stops at once.
/// </summary>
public static class CapacityErrors
{
    private static readonly HashSet<string> Codes = new(StringComparer.Ordinal)
    {
        "InsufficientInstanceCapacity",
        "UnfulfillableCapacity",
        "Unsupported",
        "InstanceLimitExceeded",
        "VcpuLimitExceeded",
        "MaxSpotInstanceCountExceeded",
        "SpotMaxPriceTooLow",
    };

    /// <summary>The codes, for docs and tests.</summary>
    public static IReadOnlyCollection<string> All => Codes;

    /// <summary>True when the next type or market may launch where this one did not.</summary>
    public static bool IsCapacityRefusal(Exception exception) =>
        exception is AmazonServiceException { ErrorCode: { } code } && Codes.Contains(code);
}
