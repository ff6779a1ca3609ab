using static Bakery.BuildFiles.Tests.BuildFiles.BuildFileTestKit;

namespace Bakery.BuildFiles.Tests.BuildFiles;

/// <summary>
/// Every amazon-ebs option of Packer 1.6.6 and of hashicorp/packer-plugin-amazon's current docs is either supported or
/// refused with a reason, never an "unknown key" (issue 12 item 7 and "Options of today's amazon-ebs").
/// </summary>
public class AmazonEbsOptionTests
{
    /// <summary>The option list of packer-plugin-amazon's amazon-ebs docs (AMIConfig, RunConfig, SnapshotConfig, ebs Config, AccessConfig), with a value that asks for something.</summary>
    public static TheoryData<string> RealOptions() =>
    [
        "\"ami_virtualization_type\": \"hvm\"", "\"ami_product_codes\": [\"abc\"]", "\"ami_org_arns\": [\"arn:aws:organizations::1:organization/o-1\"]",
        "\"ami_ou_arns\": [\"arn:aws:organizations::1:ou/o-1/ou-1\"]", "\"skip_region_validation\": true", "\"skip_save_build_region\": true",
        "\"snapshot_copy_duration_minutes\": 15", "\"imds_support\": \"v2.0\"", "\"deprecate_at\": \"2030-01-01T00:00:00Z\"",
        "\"deregistration_protection\": {\"enabled\": true, \"with_cooldown\": true}", "\"availability_zone\": \"us-east-1a\"",
        "\"block_duration_minutes\": 60", "\"capacity_reservation_preference\": \"open\"", "\"capacity_reservation_id\": \"cr-1\"",
        "\"capacity_reservation_group_arn\": \"arn:aws:resource-groups:us-east-1:1:group/g\"", "\"disable_stop_instance\": true", "\"ebs_optimized\": true",
        "\"enable_nitro_enclave\": true", "\"enable_t2_unlimited\": true", "\"enable_unlimited_credits\": true", "\"fleet_tags\": {\"a\": \"b\"}",
        "\"skip_profile_validation\": true", "\"temporary_iam_instance_profile_policy_document\": {\"Version\": \"2012-10-17\"}",
        "\"security_group_filter\": {\"filters\": {\"tag:Class\": \"packer\"}}", "\"spot_allocation_strategy\": \"price-capacity-optimized\"",
        "\"spot_price\": \"auto\"", "\"spot_price\": \"0.05\"", "\"spot_price\": \"auto\", \"spot_tags\": {\"a\": \"b\"}", "\"subnet_filter\": {\"most_free\": true}",
        "\"license_specifications\": [{\"license_configuration_request\": {\"license_configuration_arn\": \"arn\"}}]", "\"placement\": {\"host_id\": \"h-1\"}",
        "\"tenancy\": \"dedicated\"", "\"vpc_filter\": {\"filters\": {\"isDefault\": \"true\"}}", "\"windows_password_timeout\": \"10m\"",
        "\"skip_create_ami\": true", "\"skip_ami_run_tags\": true", "\"no_ephemeral\": true", "\"fast_launch\": {\"enable_fast_launch\": true}",
        "\"custom_endpoint_ec2\": \"http://127.0.0.1:5000\"", "\"decode_authorization_messages\": true", "\"insecure_skip_tls_verify\": true",
        "\"max_retries\": 3", "\"mfa_code\": \"1\"", "\"profile\": \"p\"", "\"skip_metadata_api_check\": true", "\"skip_credential_validation\": true",
        "\"token\": \"t\"", "\"vault_aws_engine\": {\"name\": \"n\"}", "\"spot_price_auto_product\": \"Linux/UNIX\"", "\"boot_mode\": \"uefi\"",
        "\"tpm_support\": \"v2.0\"", "\"uefi_data\": \"AAAA\"", "\"tag\": [{\"key\": \"a\", \"value\": \"b\"}]",
    ];

    [Theory]
    [MemberData(nameof(RealOptions))]
    public void A_real_option_is_supported_or_refused_with_a_reason_never_unknown(string option)
    {
        var result = Load(WithBuilder(option));

        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("unknown key", StringComparison.Ordinal));
        if (!result.IsValid)
        {
            var error = Assert.Single(result.Errors);
            Assert.Matches(@"is not supported by Bakery: \S.{10,}", error.Message);
        }
    }

    [Theory]
    // Packer 1.6.6 validates each of these (exit 0): "0" and "" mean an on-demand instance.
    [InlineData("\"spot_price\": \"0\"")]
    [InlineData("\"spot_price\": \"\"")]
    [InlineData("\"spot_price_auto_product\": \"\"")]
    [InlineData("\"spot_instance_types\": []")]
    [InlineData("\"ami_virtualization_type\": \"hvm\", \"ami_product_codes\": [], \"skip_profile_validation\": true")]
    [InlineData("\"skip_create_ami\": false, \"imds_support\": \"\", \"deregistration_protection\": {\"enabled\": false}, \"tenancy\": \"default\"")]
    public void Options_that_ask_for_nothing_Bakery_cannot_do_are_accepted(string option) => AssertValid(Load(WithBuilder(option)));

    [Fact]
    public void Spot_price_auto_or_a_price_asks_for_a_spot_instance()
    {
        // Packer 1.6.6 validates both (exit 0) and then requests a spot instance.
        Assert.Equal("auto", AssertValid(Load(WithBuilder("\"spot_price\": \"auto\""))).Definition!.Builds[0].Builder.SpotPrice);
        Assert.Equal("0.05", AssertValid(Load(WithBuilder("\"spot_price\": \"0.05\""))).Definition!.Builds[0].Builder.SpotPrice);
        Assert.Null(AssertValid(Load(WithBuilder("\"spot_price\": \"0\""))).Definition!.Builds[0].Builder.SpotPrice);
    }

    [Fact]
    public void Spot_instance_types_take_the_place_of_instance_type()
    {
        var json = WithBuilder("\"spot_price\": \"auto\", \"spot_instance_types\": [\"t3.micro\", \"t3a.micro\"]").Replace("\"instance_type\": \"t3.micro\", ", "", StringComparison.Ordinal);
        var builder = AssertValid(Load(json)).Definition!.Builds[0].Builder;
        Assert.Equal(["t3.micro", "t3a.micro"], builder.SpotInstanceTypes);
        Assert.Equal("", builder.InstanceType);
    }

    [Fact]
    public void Spot_tags_with_a_spot_price_are_bound_for_the_spot_request()
    {
        var builder = AssertValid(Load(WithBuilder("\"spot_price\": \"auto\", \"spot_tags\": {\"CostCenter\": \"images\"}"))).Definition!.Builds[0].Builder;
        Assert.Equal("images", builder.SpotTags["CostCenter"]);
        Assert.Empty(builder.RunTags);
    }

    [Theory]
    [InlineData("\"spot_tags\": {\"CostCenter\": \"images\"}")]
    [InlineData("\"spot_price\": \"0\", \"spot_tags\": {}")]
    [InlineData("\"spot_price\": \"\", \"spot_tags\": {\"a\": \"b\"}")]
    public void Spot_tags_without_a_spot_instance_are_refused_as_Packer_refuses_them(string options) =>
        // Packer 1.6.6 (checked with packer validate): "spot_tags should not be set when not requesting a spot instance".
        AssertSingleError(Load(WithBuilder(options)), "spot_tags should not be set when not requesting a spot instance");

    [Fact]
    public void Instance_type_and_spot_instance_types_together_are_refused_as_Packer_refuses_them()
    {
        // Packer 1.6.6: "either instance_type or spot_instance_types must be specified, not both".
        AssertSingleError(Load(WithBuilder("\"spot_price\": \"auto\", \"spot_instance_types\": [\"t3.micro\"]")),
            "either instance_type or spot_instance_types must be specified, not both");
    }

    [Theory]
    // Packer 1.6.6 validates these; EC2 refuses them at launch (a price that is no number, a spot request with no type).
    [InlineData("\"spot_price\": \"cheap\"", "spot_price must be \"auto\"")]
    [InlineData("\"spot_price\": \"-1\"", "spot_price must be \"auto\"")]
    public void Spot_prices_EC2_would_refuse_are_errors_before_launch(string option, string fragment) =>
        AssertSingleError(Load(WithBuilder(option)), fragment);

    [Fact]
    public void Spot_instance_types_without_a_spot_price_are_refused_with_the_fix()
    {
        var json = WithBuilder("\"spot_instance_types\": [\"t3.micro\"]").Replace("\"instance_type\": \"t3.micro\", ", "", StringComparison.Ordinal);
        AssertSingleError(Load(json), "spot_instance_types needs spot_price");
    }

    [Fact]
    public void Spot_instance_types_are_checked_like_instance_type()
    {
        var json = WithBuilder("\"spot_price\": \"auto\", \"spot_instance_types\": [\"T3 Micro\"]").Replace("\"instance_type\": \"t3.micro\", ", "", StringComparison.Ordinal);
        AssertSingleError(Load(json), "\"T3 Micro\" is not an EC2 instance type");
    }

    [Fact]
    public void Spot_price_auto_product_warns_as_Packer_does()
    {
        // Packer 1.6.6: "spot_price_auto_product is deprecated and no longer necessary for Packer builds" (a warning, exit 0).
        var result = AssertValid(Load(WithBuilder("\"spot_price\": \"0\", \"spot_price_auto_product\": \"Linux/UNIX\"")));
        Assert.Contains(result.Warnings, w => w.Message.Contains("spot_price_auto_product is deprecated", StringComparison.Ordinal));
    }

    [Fact]
    public void Include_deprecated_false_is_accepted_and_true_is_refused_with_a_reason()
    {
        const string Filter = "\"source_ami_filter\": {\"filters\": {\"name\": \"x\"}, \"owners\": [\"self\"], \"include_deprecated\": INCLUDE}";
        var json = WithBuilder(Filter.Replace("INCLUDE", "false", StringComparison.Ordinal)).Replace("\"source_ami\": \"ami-12345678\", ", "", StringComparison.Ordinal);
        AssertValid(Load(json));
        AssertSingleError(Load(json.Replace("false}", "true}", StringComparison.Ordinal)), "include_deprecated is not supported by Bakery");
    }
}
