namespace Bakery.BuildFiles.Internal;

/// <summary>
/// Real amazon-ebs options (Packer 1.6.6 and hashicorp/packer-plugin-amazon's current docs) that Bakery does not act on.
/// Each is accepted while it asks for nothing — its zero value ("", false, 0, [], {}) or a value that means Bakery's own
/// behaviour (tenancy "default" is shared) — and refused with the reason otherwise, so a real
/// option is never an "unknown key" and never silently ignored. docs/build-files.md lists the same table.
/// </summary>
internal static class UnsupportedOptions
{
    private const string OneType = "Bakery requests one instance type at a time with RunInstances, in the order written (spot_instance_types, then capacity.fallback_instance_types in NAME.bakery.json)";
    private const string NotYet = "not yet implemented";
    private const string HclBlock = "it is an HCL2 block; in a JSON build file write the map form";

    /// <summary>Option → (values that also mean "nothing asked", why Bakery refuses anything else).</summary>
    public static readonly IReadOnlyDictionary<string, (string[] AlsoOff, string Reason)> Builder =
        new Dictionary<string, (string[], string)>(StringComparer.Ordinal)
        {
            ["spot_allocation_strategy"] = ([], OneType),
            ["block_duration_minutes"] = ([], "EC2 no longer offers Spot blocks (defined-duration Spot Instances)"),
            ["ami_product_codes"] = ([], NotYet + ": Bakery does not attach product codes"),
            ["ami_org_arns"] = ([], NotYet + ": share with accounts (ami_users) or groups (ami_groups)"),
            ["ami_ou_arns"] = ([], NotYet + ": share with accounts (ami_users) or groups (ami_groups)"),
            ["skip_create_ami"] = ([], "creating the AMI is what a Bakery build is for; run the provisioners on a test instance another way"),
            ["skip_save_build_region"] = ([], NotYet + ": the AMI is always kept in the build region"),
            ["snapshot_copy_duration_minutes"] = ([], NotYet + ": copies to ami_regions are best-effort (no time-based copy)"),
            ["imds_support"] = ([], NotYet + ": set metadata_options.http_tokens to required for the build instance; the AMI keeps EC2's default"),
            ["deprecate_at"] = ([], NotYet + ": deprecate the AMI after the build (aws ec2 enable-image-deprecation)"),
            ["deregistration_protection"] = ([], NotYet + ": turn it on after the build (aws ec2 enable-image-deregistration-protection)"),
            ["no_ephemeral"] = ([], NotYet),
            ["skip_ami_run_tags"] = ([], NotYet + ": run_tags are never copied to the AMI"),
            ["fast_launch"] = ([], NotYet),
            ["license_specifications"] = ([], NotYet),
            ["capacity_reservation_preference"] = (["none", "open"], NotYet),
            ["capacity_reservation_id"] = ([], NotYet),
            ["capacity_reservation_group_arn"] = ([], NotYet),
            ["enable_nitro_enclave"] = ([], NotYet),
            ["enable_t2_unlimited"] = ([], NotYet),
            ["enable_unlimited_credits"] = ([], NotYet),
            ["ebs_optimized"] = ([], NotYet),
            ["placement"] = ([], NotYet),
            ["tenancy"] = (["default"], NotYet + ": the instance runs on shared tenancy"),
            ["fleet_tags"] = ([], "Bakery launches with RunInstances, not an EC2 fleet; tag the instance with run_tags"),
            ["temporary_iam_instance_profile_policy_document"] = ([], "name an existing profile with iam_instance_profile (Bakery creates no IAM resources)"),
            ["disable_stop_instance"] = ([], "the instance is always stopped before the image is created"),
            ["availability_zone"] = ([], "the subnet decides the availability zone"),
            ["security_group_filter"] = ([], "name the groups with security_group_id(s)"),
            ["subnet_filter"] = ([], "name the subnet with subnet_id"),
            ["vpc_filter"] = ([], "name the VPC with vpc_id"),
            ["vault_aws_engine"] = ([], "Bakery uses the IAM role it runs with, not credentials from the build file"),
            ["boot_mode"] = ([], "not an amazon-ebs option (amazon-ebssurrogate and amazon-chroot have it): amazon-ebs takes the boot mode from the source AMI"),
            ["tpm_support"] = ([], "not an amazon-ebs option (amazon-ebssurrogate, amazon-chroot and amazon-instance have it)"),
            ["uefi_data"] = ([], "not an amazon-ebs option (amazon-ebssurrogate and amazon-chroot have it)"),
            ["tag"] = ([], HclBlock + " \"tags\""),
            ["run_tag"] = ([], HclBlock + " \"run_tags\""),
            ["run_volume_tag"] = ([], HclBlock + " \"run_volume_tags\""),
            ["snapshot_tag"] = ([], HclBlock + " \"snapshot_tags\""),
            ["spot_tag"] = ([], HclBlock + " \"spot_tags\""),
            ["fleet_tag"] = ([], HclBlock + " \"fleet_tags\""),
        };

    /// <summary>Reads every option of <paramref name="table"/> the object has and refuses the ones that ask for something.</summary>
    public static void Check(ObjectReader reader, IReadOnlyDictionary<string, (string[] AlsoOff, string Reason)> table)
    {
        foreach (var property in reader.Node.Properties)
        {
            if (!table.TryGetValue(property.Name, out var option))
            {
                continue;
            }

            var value = reader.Take(property.Name);
            if (value is not null && !IsOff(value, option.AlsoOff, reader))
            {
                reader.Scope.Bag.Error(property.NamePosition, value.Path, $"{property.Name} is not supported by Bakery: {option.Reason}");
            }
        }
    }

    private static bool IsOff(JsonNode value, string[] alsoOff, ObjectReader reader) => value switch
    {
        JsonScalarNode { Kind: JsonScalarKind.Null } => true,
        JsonScalarNode { Kind: JsonScalarKind.Boolean } boolean => boolean.Text == "false",
        JsonScalarNode number => number.Text is "0" || alsoOff.Contains(number.Text),
        JsonStringNode text => reader.AsString(text) is not { } rendered || rendered is "" or "false" or "0" || alsoOff.Contains(rendered),
        JsonArrayNode array => array.Items.Length == 0,
        JsonObjectNode obj => obj.Properties.All(p => IsOff(p.Value, [], reader)),
        _ => false,
    };
}
