namespace Bakery.BuildFiles.Model;

/// <summary>
/// One rendered <c>amazon-ebs</c> builder. Values are final except for build-time data
/// (<c>{{ .SourceAMI }}</c>, <c>{{ .BuildRegion }}</c>, <c>{{ build `Name` }}</c>, ...), which stays as
/// template text and is rendered by the step where the value exists.
/// Field names follow Packer's option names (snake_case on the wire).
/// </summary>
public sealed record AmazonEbsBuilder
{
    /// <summary>The builder's name: its <c>name</c>, else its type (Packer's rule).</summary>
    public required string Name { get; init; }
    public string Type { get; set; } = "amazon-ebs";
    public required string Region { get; init; }
    public string? SourceAmi { get; init; }
    public SourceAmiFilter? SourceAmiFilter { get; init; }
    /// <summary><c>instance_type</c>; empty when <see cref="SpotInstanceTypes"/> names the types instead.</summary>
    public required string InstanceType { get; init; }

    /// <summary><c>spot_price</c>: null for on-demand (Packer's "" and "0"), <c>auto</c>, or a maximum price per hour.</summary>
    public string? SpotPrice { get; init; }

    /// <summary><c>spot_instance_types</c>: the types a spot request may use, in place of <see cref="InstanceType"/>.</summary>
    public IReadOnlyList<string> SpotInstanceTypes { get; set; } = [];
    public required string AmiName { get; init; }
    public string? AmiDescription { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; set; } = Empty;
    public IReadOnlyDictionary<string, string> RunTags { get; set; } = Empty;
    public IReadOnlyDictionary<string, string> RunVolumeTags { get; set; } = Empty;
    public IReadOnlyDictionary<string, string> SnapshotTags { get; set; } = Empty;

    /// <summary><c>spot_tags</c>: tags for the spot request (not the instance), as Packer; only with a spot price.</summary>
    public IReadOnlyDictionary<string, string> SpotTags { get; set; } = Empty;

    public string? SubnetId { get; init; }
    public IReadOnlyList<string> SecurityGroupIds { get; set; } = [];
    public string? VpcId { get; init; }
    public bool? AssociatePublicIpAddress { get; init; }
    public string? IamInstanceProfile { get; init; }

    /// <summary>Inline user data. <see cref="UserDataFile"/> is read into this by Prepare.</summary>
    public string? UserData { get; init; }
    /// <summary>Path of the user data file relative to the build file's folder (bundle-relative, normalized).</summary>
    public string? UserDataFile { get; init; }

    public IReadOnlyList<BlockDeviceMapping> LaunchBlockDeviceMappings { get; set; } = [];
    public IReadOnlyList<BlockDeviceMapping> AmiBlockDeviceMappings { get; set; } = [];
    public bool? EncryptBoot { get; init; }
    public string? KmsKeyId { get; init; }

    public IReadOnlyList<string> AmiRegions { get; set; } = [];
    public IReadOnlyDictionary<string, string> RegionKmsKeyIds { get; set; } = Empty;
    public IReadOnlyList<string> AmiUsers { get; set; } = [];
    public IReadOnlyList<string> AmiGroups { get; set; } = [];
    public IReadOnlyList<string> SnapshotUsers { get; set; } = [];
    public IReadOnlyList<string> SnapshotGroups { get; set; } = [];

    public bool ForceDeregister { get; init; }
    public bool ForceDeleteSnapshot { get; init; }

    public MetadataOptions? MetadataOptions { get; init; }
    public AwsPolling? AwsPolling { get; init; }
    /// <summary><c>stop</c> (default) or <c>terminate</c>.</summary>
    public string? ShutdownBehavior { get; init; }
    public bool? EnaSupport { get; init; }
    public bool? SriovSupport { get; init; }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}
