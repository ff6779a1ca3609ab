namespace Bakery.Core.Bake;

/// <summary>The temporary builder instance.</summary>
public sealed record InstanceInfo
{
    public required string InstanceId { get; init; }
    public string? State { get; init; }
    public string? AvailabilityZone { get; init; }
    public string? PrivateIp { get; init; }
    public DateTimeOffset LaunchedAt { get; init; }
    public bool SsmReachable { get; init; }
    /// <summary>The type the instance runs as (the build file's, or a capacity fallback's).</summary>
    public string? InstanceType { get; init; }
    /// <summary>A spot instance: StopInstance skips the stop as Packer does (a one-time spot instance cannot be stopped).</summary>
    public bool Spot { get; init; }
}
