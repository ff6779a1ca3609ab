namespace Bakery.Core.Aws;

/// <summary>What the steps need to know about an AMI. <see cref="State"/> is EC2's (<c>pending</c>, <c>available</c>, <c>failed</c>, ...).</summary>
public sealed record ImageDescription(string ImageId, string State)
{
    public string? Name { get; init; }
    public string? StateReason { get; init; }
    /// <summary>ISO 8601 as EC2 reports it; sorts chronologically as text.</summary>
    public string? CreationDate { get; init; }
    public string? OwnerId { get; init; }
    /// <summary>EC2's <c>rootDeviceType</c>: <c>ebs</c> or <c>instance-store</c>.</summary>
    public string? RootDeviceType { get; init; }
    public IReadOnlyList<string> SnapshotIds { get; init; } = [];
    /// <summary>EC2's <c>deprecationTime</c> (ISO 8601) when the image is, or will be, deprecated; null otherwise.</summary>
    public string? DeprecationTime { get; init; }
    /// <summary>EC2's <c>deregistrationProtection</c>: <c>disabled</c>, or <c>enabled</c> / <c>enabled-with-cooldown</c> (with a date); null when EC2 does not say.</summary>
    public string? DeregistrationProtection { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
