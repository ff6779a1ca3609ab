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
}
