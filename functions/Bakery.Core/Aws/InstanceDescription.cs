namespace Bakery.Core.Aws;

/// <summary>What the steps need to know about an instance. <see cref="State"/> is EC2's state name (<c>running</c>, <c>stopped</c>, ...).</summary>
public sealed record InstanceDescription(string InstanceId, string State)
{
    public string? AvailabilityZone { get; init; }
    public string? PrivateIp { get; init; }
    public string? StateReason { get; init; }
}
