namespace Bakery.BuildFiles.Model;

/// <summary>One entry of <c>launch_block_device_mappings</c> or <c>ami_block_device_mappings</c>.</summary>
public sealed record BlockDeviceMapping
{
    public required string DeviceName { get; init; }
    public string? VolumeType { get; init; }
    public int? VolumeSize { get; init; }
    public int? Iops { get; init; }
    public int? Throughput { get; init; }
    public bool? DeleteOnTermination { get; init; }
    public bool? Encrypted { get; init; }
    public string? KmsKeyId { get; init; }
    public string? SnapshotId { get; init; }
    public string? VirtualName { get; init; }
    public bool NoDevice { get; init; }
}
