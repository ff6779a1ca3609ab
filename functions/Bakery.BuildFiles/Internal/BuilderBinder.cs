using Bakery.BuildFiles.Model;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Internal;

/// <summary>Binds one entry of <c>builders</c> to an <see cref="AmazonEbsBuilder"/>, reporting every problem it finds.</summary>
internal static partial class BuilderBinder
{
    public const string AmazonEbs = "amazon-ebs";

    private static readonly string[] KnownBuilderTypes =
    [
        AmazonEbs, "amazon-ebssurrogate", "amazon-ebsvolume", "amazon-instance", "amazon-chroot", "docker", "googlecompute",
        "azure-arm", "virtualbox-iso", "qemu", "vmware-iso", "null", "file",
    ];

    /// <summary>Keys that are not amazon-ebs options of today's Packer but that older files or other tools use.</summary>
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["source_ami_filter_most_recent"] = "use source_ami_filter.most_recent",
        ["user_data_base64"] = "use user_data",
    };

    private static readonly Dictionary<string, (string[] AlsoOff, string Reason)> FilterOptions = new(StringComparer.Ordinal)
    {
        ["include_deprecated"] = ([], "not yet implemented: deprecated images are never chosen"),
    };

    private static readonly string[] VolumeTypes = ["gp2", "gp3", "io1", "io2", "sc1", "st1", "standard"];

    /// <summary>The builder's name as Packer derives it (<c>name</c>, else <c>type</c>), without rendering; null if it has none.</summary>
    public static string? PeekName(JsonNode node) => node is JsonObjectNode obj
        ? (obj.Find("name")?.Value as JsonStringNode)?.Value ?? (obj.Find("type")?.Value as JsonStringNode)?.Value
        : null;

    public static string? PeekType(JsonNode node) => (node as JsonObjectNode)?.Find("type")?.Value is JsonStringNode type ? type.Value : null;

    public static AmazonEbsBuilder? Bind(JsonNode node, BindingScope scope)
    {
        var bag = scope.Bag;
        var errorsBefore = bag.ErrorCount;
        if (ObjectReader.OpenDefinition(node, scope, "a builder must be an object", out var type) is not { } reader)
        {
            return null;
        }

        if (type != AmazonEbs)
        {
            var typeNode = reader.Take("type")!;
            bag.Error(typeNode, $"unknown builder type \"{type}\": Bakery builds amazon-ebs images",
                Suggestions.Closest(type, KnownBuilderTypes) is AmazonEbs ? AmazonEbs : null);
            return null;
        }

        var name = reader.String("name") ?? type;
        var region = reader.String("region", required: true);
        var sourceAmi = reader.String("source_ami");
        var filter = BindFilter(reader);
        if (sourceAmi is null && filter is null && !reader.Has("source_ami_filter") && !(reader.Has("source_ami") && reader.Scope.VariablesIncomplete))
        {
            reader.Missing("source_ami", "source_ami or source_ami_filter is required");
        }

        if (region is { Length: > 0 } && !RegionPattern().IsMatch(region))
        {
            bag.Error(reader.Take("region")!, $"region: \"{region}\" is not an AWS region name (lower-case letters, digits and -, like us-east-1)");
        }

        var spotInstanceTypes = reader.StringList("spot_instance_types") ?? [];
        var instanceType = reader.String("instance_type", required: spotInstanceTypes.Count == 0);
        if (instanceType is { Length: > 0 } && !InstanceTypePattern().IsMatch(instanceType))
        {
            bag.Error(reader.Take("instance_type")!, $"instance_type: \"{instanceType}\" is not an EC2 instance type (lower-case letters, digits, . and -, like t3.micro)");
        }

        var spotPrice = BindSpot(reader, instanceType, spotInstanceTypes);

        var amiName = reader.String("ami_name", required: true);
        if (amiName is { Length: > 0 })
        {
            AmiNameRules.Check(amiName, reader.Take("ami_name")!, bag);
        }

        var userData = reader.String("user_data");
        var userDataFile = reader.String("user_data_file");
        string? userDataBundlePath = null;
        if (userData is not null && userDataFile is not null)
        {
            bag.Error(reader.Take("user_data_file")!, "only one of user_data or user_data_file can be specified");
        }
        else if (userDataFile is not null)
        {
            userDataBundlePath = FileReferences.RequireFile(userDataFile, reader.Take("user_data_file")!, scope);
        }

        var securityGroupIds = new List<string>();
        if (reader.String("security_group_id") is { } single)
        {
            securityGroupIds.Add(single);
        }

        securityGroupIds.AddRange(reader.StringList("security_group_ids") ?? []);

        var encryptBoot = reader.Bool("encrypt_boot");
        var kmsKeyId = reader.String("kms_key_id");
        if (kmsKeyId is { Length: > 0 } && encryptBoot != true)
        {
            bag.Error(reader.Take("kms_key_id")!, "kms_key_id needs encrypt_boot set to true");
        }

        var amiRegions = reader.StringList("ami_regions") ?? [];
        var regionKmsKeyIds = reader.StringMap("region_kms_key_ids") ?? new Dictionary<string, string>();
        foreach (var keyRegion in regionKmsKeyIds.Keys.Where(r => !amiRegions.Contains(r) && r != region))
        {
            bag.Error(reader.Take("region_kms_key_ids")!, $"region_kms_key_ids names region \"{keyRegion}\", which is not in ami_regions");
        }

        var shutdown = reader.String("shutdown_behavior");
        if (shutdown is not null and not ("stop" or "terminate"))
        {
            bag.Error(reader.Take("shutdown_behavior")!, $"shutdown_behavior must be \"stop\" or \"terminate\", not \"{shutdown}\"");
        }

        var builder = new AmazonEbsBuilder
        {
            Name = name,
            Region = region ?? "",
            SourceAmi = sourceAmi,
            SourceAmiFilter = filter,
            InstanceType = instanceType ?? "",
            SpotPrice = spotPrice,
            SpotInstanceTypes = spotInstanceTypes,
            AmiName = amiName ?? "",
            AmiDescription = reader.String("ami_description"),
            Tags = Ec2Tags(reader, "tags"),
            RunTags = Ec2Tags(reader, "run_tags"),
            RunVolumeTags = Ec2Tags(reader, "run_volume_tags"),
            SnapshotTags = Ec2Tags(reader, "snapshot_tags"),
            SpotTags = BindSpotTags(reader, spotPrice),
            SubnetId = reader.String("subnet_id"),
            SecurityGroupIds = securityGroupIds,
            VpcId = reader.String("vpc_id"),
            AssociatePublicIpAddress = reader.Bool("associate_public_ip_address"),
            IamInstanceProfile = reader.String("iam_instance_profile"),
            UserData = userData,
            UserDataFile = userDataBundlePath,
            LaunchBlockDeviceMappings = BindMappings(reader, "launch_block_device_mappings"),
            AmiBlockDeviceMappings = BindMappings(reader, "ami_block_device_mappings"),
            EncryptBoot = encryptBoot,
            KmsKeyId = kmsKeyId,
            AmiRegions = amiRegions,
            RegionKmsKeyIds = regionKmsKeyIds,
            AmiUsers = reader.StringList("ami_users") ?? [],
            AmiGroups = reader.StringList("ami_groups") ?? [],
            SnapshotUsers = reader.StringList("snapshot_users") ?? [],
            SnapshotGroups = reader.StringList("snapshot_groups") ?? [],
            ForceDeregister = reader.Bool("force_deregister") ?? false,
            ForceDeleteSnapshot = reader.Bool("force_delete_snapshot") ?? false,
            MetadataOptions = BindMetadataOptions(reader),
            AwsPolling = BindPolling(reader),
            ShutdownBehavior = shutdown,
            EnaSupport = reader.Bool("ena_support"),
            SriovSupport = reader.Bool("sriov_support"),
        };
        BindAcceptedWithoutEffect(reader);
        UnsupportedOptions.Check(reader, UnsupportedOptions.Builder);
        reader.Finish(ignoreUnderscoreKeys: true, Unsupported);
        return bag.ErrorCount == errorsBefore ? builder : null;
    }

    /// <summary>Real options whose every value means what Bakery does anyway (docs/build-files.md says why for each).</summary>
    private static void BindAcceptedWithoutEffect(ObjectReader reader)
    {
        // CreateImage takes the virtualization type from the instance; Packer's amazon-ebs ignores it too (any value validates).
        reader.String("ami_virtualization_type");
        // Bakery never checks the instance profile before launch, so there is nothing to skip.
        reader.Bool("skip_profile_validation");
        // The AWS SDK's retries: Bakery has one retry layer of its own (and the SDK's retries off).
        reader.Int("max_retries", 0);
        // Packer 1.6.6: "spot_price_auto_product is deprecated and no longer necessary for Packer builds" (a warning).
        if (reader.String("spot_price_auto_product") is not null)
        {
            var node = reader.Take("spot_price_auto_product")!;
            reader.Scope.Bag.Warning(node.Position, node.Path, "spot_price_auto_product is deprecated in Packer and has no effect");
        }
    }

    /// <summary>
    /// <c>spot_price</c> and <c>spot_instance_types</c> as Packer 1.6.6 reads them ("", "0": on-demand; either
    /// instance_type or spot_instance_types, not both), plus what EC2 would refuse at launch: a price that is not a
    /// positive number, and spot_instance_types without a spot price (Packer would then launch with no instance type).
    /// </summary>
    private static string? BindSpot(ObjectReader reader, string? instanceType, IReadOnlyList<string> spotInstanceTypes)
    {
        var bag = reader.Scope.Bag;
        if (spotInstanceTypes.Count > 0)
        {
            var typesNode = reader.Take("spot_instance_types")!;
            if (instanceType is { Length: > 0 })
            {
                bag.Error(typesNode, "either instance_type or spot_instance_types must be specified, not both");
            }

            foreach (var type in spotInstanceTypes.Where(t => !InstanceTypePattern().IsMatch(t)))
            {
                bag.Error(typesNode, $"spot_instance_types: \"{type}\" is not an EC2 instance type (lower-case letters, digits, . and -, like t3.micro)");
            }
        }

        var price = reader.String("spot_price");
        if (price is null or "" or "0")
        {
            if (spotInstanceTypes.Count > 0)
            {
                bag.Error(reader.Take("spot_instance_types")!,
                    "spot_instance_types needs spot_price (\"auto\" or a price such as \"0.05\"): they are the types of a spot request");
            }

            return null;
        }

        if (price != "auto" && !(decimal.TryParse(price, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var perHour) && perHour > 0))
        {
            bag.Error(reader.Take("spot_price")!, $"spot_price must be \"auto\" (up to the on-demand price) or a maximum price in USD per hour such as \"0.05\", not \"{price}\"");
            return null;
        }

        return price;
    }

    private static SourceAmiFilter? BindFilter(ObjectReader builder)
    {
        var obj = builder.Object("source_ami_filter");
        if (obj is null)
        {
            return null;
        }

        var reader = new ObjectReader(obj, builder.Scope);
        var filters = reader.StringMap("filters") ?? new Dictionary<string, string>();
        var owners = reader.StringList("owners") ?? [];
        var filter = new SourceAmiFilter { Filters = filters, Owners = owners, MostRecent = reader.Bool("most_recent") ?? false };
        UnsupportedOptions.Check(reader, FilterOptions);
        if (owners.Count == 0 && !filters.ContainsKey("owner-id") && !filters.ContainsKey("owner-alias"))
        {
            reader.Missing("owners", "source_ami_filter needs owners (or an owner-id / owner-alias filter), so an image from an unknown account is never used");
        }

        reader.Finish(ignoreUnderscoreKeys: false);
        return filter;
    }

    private static IReadOnlyList<BlockDeviceMapping> BindMappings(ObjectReader builder, string key)
    {
        var array = builder.Array(key);
        if (array is null)
        {
            return [];
        }

        var mappings = new List<BlockDeviceMapping>();
        foreach (var item in array.Items)
        {
            if (item is not JsonObjectNode obj)
            {
                builder.Scope.Bag.Error(item, $"a block device mapping must be an object, not {item.KindName}");
                continue;
            }

            var reader = new ObjectReader(obj, builder.Scope);
            var volumeType = reader.String("volume_type");
            if (volumeType is not null && !VolumeTypes.Contains(volumeType))
            {
                builder.Scope.Bag.Error(reader.Take("volume_type")!, $"volume_type must be one of {string.Join(", ", VolumeTypes)}, not \"{volumeType}\"",
                    Suggestions.Closest(volumeType, VolumeTypes));
            }

            mappings.Add(new BlockDeviceMapping
            {
                DeviceName = reader.String("device_name", required: true) ?? "",
                VolumeType = volumeType,
                VolumeSize = reader.Int("volume_size", 1, 65536),
                Iops = reader.Int("iops", 100, 256000),
                Throughput = reader.Int("throughput", 125, 2000),
                DeleteOnTermination = reader.Bool("delete_on_termination"),
                Encrypted = reader.Bool("encrypted"),
                KmsKeyId = reader.String("kms_key_id"),
                SnapshotId = reader.String("snapshot_id"),
                VirtualName = reader.String("virtual_name"),
                NoDevice = reader.Bool("no_device") ?? false,
            });
            reader.Finish(ignoreUnderscoreKeys: false);
        }

        return mappings;
    }

    private static MetadataOptions? BindMetadataOptions(ObjectReader builder)
    {
        var obj = builder.Object("metadata_options");
        if (obj is null)
        {
            return null;
        }

        var reader = new ObjectReader(obj, builder.Scope);
        var options = new MetadataOptions
        {
            HttpEndpoint = OneOf(reader, "http_endpoint", "enabled", "disabled"),
            HttpTokens = OneOf(reader, "http_tokens", "optional", "required"),
            HttpPutResponseHopLimit = reader.Int("http_put_response_hop_limit", 1, 64),
            InstanceMetadataTags = OneOf(reader, "instance_metadata_tags", "enabled", "disabled"),
        };
        if (options.HttpTokens == "optional" && reader.Take("http_tokens") is { } tokens)
        {
            // Honored, as Packer does (some old source images need IMDSv1), but never silently.
            builder.Scope.Bag.Warning(
                tokens.Position, tokens.Path,
                "http_tokens: optional lets the builder instance answer IMDSv1 requests, which need no session token; Bakery's default is required (IMDSv2 only)");
        }

        reader.Finish(ignoreUnderscoreKeys: false);
        return options;
    }

    private static AwsPolling? BindPolling(ObjectReader builder)
    {
        var obj = builder.Object("aws_polling");
        if (obj is null)
        {
            return null;
        }

        var reader = new ObjectReader(obj, builder.Scope);
        var polling = new AwsPolling { DelaySeconds = reader.Int("delay_seconds", 1, 3600), MaxAttempts = reader.Int("max_attempts", 1, 100000) };
        reader.Finish(ignoreUnderscoreKeys: false);
        return polling;
    }

    private static string? OneOf(ObjectReader reader, string key, params string[] allowed)
    {
        var value = reader.String(key);
        if (value is not null && !allowed.Contains(value))
        {
            reader.Scope.Bag.Error(reader.Take(key)!, $"{key} must be {string.Join(" or ", allowed.Select(a => $"\"{a}\""))}, not \"{value}\"",
                Suggestions.Closest(value, allowed));
            return null;
        }

        return value;
    }

    /// <summary>EC2's tag rules, checked before launch so a bad tag cannot fail the build after the instance ran.</summary>
    /// <summary>
    /// <c>spot_tags</c> tag the spot request, so Packer 1.6.6 refuses them when no spot instance is asked for ("" or "0"
    /// spot price); Bakery's request is the one RunInstances makes with InstanceMarketOptions.
    /// </summary>
    private static Dictionary<string, string> BindSpotTags(ObjectReader reader, string? spotPrice)
    {
        var present = reader.Has("spot_tags");
        var tags = Ec2Tags(reader, "spot_tags");
        if (present && spotPrice is null)
        {
            reader.Scope.Bag.Error(reader.Take("spot_tags")!,
                "spot_tags should not be set when not requesting a spot instance: set spot_price (\"auto\" or a maximum price) or remove spot_tags");
        }

        return tags;
    }

    private static Dictionary<string, string> Ec2Tags(ObjectReader reader, string key)
    {
        var tags = reader.StringMap(key) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in tags)
        {
            var problem = name.Length is 0 or > 128 ? "tag keys are 1 to 128 characters"
                : name.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) ? "the aws: prefix is reserved for AWS"
                : value.Length > 256 ? "tag values are at most 256 characters"
                : null;
            if (problem is not null)
            {
                reader.Scope.Bag.Error(reader.Take(key)!, $"{key}: \"{(name.Length > 40 ? name[..40] + "..." : name)}\": {problem}");
            }
        }

        return tags;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9-]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex RegionPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9.-]+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex InstanceTypePattern();
}
