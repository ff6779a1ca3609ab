using Bakery.BuildFiles.Model;
using static Bakery.BuildFiles.Tests.BuildFiles.BuildFileTestKit;

namespace Bakery.BuildFiles.Tests.BuildFiles;

public class BuilderFieldTests
{
    private static AmazonEbsBuilder Bind(string extraFields) => AssertValid(Load(WithBuilder(extraFields))).Definition!.Builds[0].Builder;

    [Fact]
    public void Required_fields_and_the_name_default()
    {
        var builder = Bind("");
        Assert.Equal(("amazon-ebs", "us-east-1", "ami-12345678", "t3.micro"), (builder.Name, builder.Region, builder.SourceAmi, builder.InstanceType));
        Assert.Equal("web", Bind("\"name\": \"web\"").Name);
    }

    [Fact]
    public void Source_ami_filter()
    {
        var filter = Bind("\"source_ami_filter\": {\"filters\": {\"name\": \"ubuntu/*\", \"virtualization-type\": \"hvm\"}, \"owners\": [\"099720109477\"], \"most_recent\": true}").SourceAmiFilter!;
        Assert.Equal("ubuntu/*", filter.Filters["name"]);
        Assert.Equal(["099720109477"], filter.Owners);
        Assert.True(filter.MostRecent);
    }

    [Fact]
    public void Descriptions_and_tag_maps_render_templates()
    {
        var builder = Bind("""
            "ami_description": "built by {{build_name}}", "tags": {"Name": "{{build_type}}"}, "run_tags": {"a": "1"},
            "run_volume_tags": {"b": 2}, "snapshot_tags": {"c": true}
            """);
        Assert.Equal("built by amazon-ebs", builder.AmiDescription);
        Assert.Equal("amazon-ebs", builder.Tags["Name"]);
        Assert.Equal("1", builder.RunTags["a"]);
        Assert.Equal("2", builder.RunVolumeTags["b"]);
        Assert.Equal("1", builder.SnapshotTags["c"]);
    }

    [Fact]
    public void Network_fields()
    {
        var builder = Bind("""
            "subnet_id": "subnet-1", "security_group_id": "sg-1", "security_group_ids": ["sg-2", "sg-3"], "vpc_id": "vpc-1",
            "associate_public_ip_address": "true", "iam_instance_profile": "bake"
            """);
        Assert.Equal("subnet-1", builder.SubnetId);
        Assert.Equal(["sg-1", "sg-2", "sg-3"], builder.SecurityGroupIds);
        Assert.Equal("vpc-1", builder.VpcId);
        Assert.True(builder.AssociatePublicIpAddress);
        Assert.Equal("bake", builder.IamInstanceProfile);
    }

    [Fact]
    public void User_data_inline_or_from_a_file_resolved_in_the_bundle()
    {
        Assert.Equal("#!/bin/sh", Bind("\"user_data\": \"#!/bin/sh\"").UserData);
        Assert.Equal("builds/web/user-data.txt", Bind("\"user_data_file\": \"user-data.txt\"").UserDataFile);
    }

    [Fact]
    public void An_empty_string_counts_as_unset()
    {
        // Packer 1.6.6 validates "user_data_file": "" alone and with "user_data": "" (no "only one of" error, no file looked
        // up), and a shell provisioner with "script": "" beside "inline".
        var builder = Bind("\"user_data_file\": \"\", \"user_data\": \"\", \"kms_key_id\": \"\", \"shutdown_behavior\": \"\"");
        Assert.Null(builder.UserData);
        Assert.Null(builder.UserDataFile);
        Assert.Null(builder.ShutdownBehavior);
        var shell = AssertValid(Load(WithProvisioner("{\"type\": \"shell\", \"script\": \"\", \"inline\": [\"x\"], \"execute_command\": \"\"}")))
            .Definition!.Builds[0].Provisioners[0];
        Assert.Equal(new Model.ShellProvisioner().ExecuteCommand, ((Model.ShellProvisioner)shell).ExecuteCommand);
    }

    [Fact]
    public void An_empty_source_ami_is_missing()
    {
        // Packer 1.6.6 with "source_ami": "": "A source_ami or source_ami_filter must be specified".
        var json = WithBuilder().Replace("\"ami-12345678\"", "\"\"", StringComparison.Ordinal);
        AssertSingleError(Load(json), "source_ami or source_ami_filter is required");
    }

    [Fact]
    public void Block_device_mappings()
    {
        var builder = Bind("""
            "launch_block_device_mappings": [{"device_name": "/dev/sda1", "volume_type": "gp3", "volume_size": 20, "iops": "3000",
              "throughput": 125, "delete_on_termination": true, "encrypted": true, "kms_key_id": "k", "snapshot_id": "snap-1"}],
            "ami_block_device_mappings": [{"device_name": "/dev/sdb", "virtual_name": "ephemeral0"}, {"device_name": "/dev/sdc", "no_device": true}]
            """);
        var launch = Assert.Single(builder.LaunchBlockDeviceMappings);
        Assert.Equal(("/dev/sda1", "gp3", 20, 3000, 125), (launch.DeviceName, launch.VolumeType, launch.VolumeSize, launch.Iops, launch.Throughput));
        Assert.True(launch.DeleteOnTermination == true && launch.Encrypted == true && launch.KmsKeyId == "k" && launch.SnapshotId == "snap-1");
        Assert.Equal("ephemeral0", builder.AmiBlockDeviceMappings[0].VirtualName);
        Assert.True(builder.AmiBlockDeviceMappings[1].NoDevice);
    }

    [Fact]
    public void Encryption_copies_and_sharing()
    {
        var builder = Bind("""
            "encrypt_boot": true, "kms_key_id": "alias/a", "ami_regions": "eu-west-1", "region_kms_key_ids": {"eu-west-1": "alias/b"},
            "ami_users": ["111122223333"], "ami_groups": ["all"], "snapshot_users": ["444455556666"], "snapshot_groups": ["all"]
            """);
        Assert.True(builder.EncryptBoot);
        Assert.Equal("alias/a", builder.KmsKeyId);
        Assert.Equal(["eu-west-1"], builder.AmiRegions);
        Assert.Equal("alias/b", builder.RegionKmsKeyIds["eu-west-1"]);
        Assert.Equal(["111122223333"], builder.AmiUsers);
        Assert.Equal(["all"], builder.AmiGroups);
        Assert.Equal(["444455556666"], builder.SnapshotUsers);
        Assert.Equal(["all"], builder.SnapshotGroups);
    }

    [Fact]
    public void A_string_where_a_list_is_expected_is_split_at_commas_and_an_empty_one_is_no_list_as_in_packer()
    {
        var builder = Bind("""
            "ami_regions": "us-west-2,eu-west-1", "ami_users": "", "snapshot_users": "111122223333", "ami_groups": "all"
            """);
        Assert.Equal(["us-west-2", "eu-west-1"], builder.AmiRegions);
        Assert.Empty(builder.AmiUsers);
        Assert.Equal(["111122223333"], builder.SnapshotUsers);
        Assert.Equal(["all"], builder.AmiGroups);
    }

    [Fact]
    public void Lifecycle_and_instance_options()
    {
        var builder = Bind("""
            "force_deregister": true, "force_delete_snapshot": "1", "shutdown_behavior": "terminate", "ena_support": true, "sriov_support": false,
            "metadata_options": {"http_endpoint": "enabled", "http_tokens": "required", "http_put_response_hop_limit": 2, "instance_metadata_tags": "disabled"},
            "aws_polling": {"delay_seconds": 5, "max_attempts": 100}
            """);
        Assert.True(builder.ForceDeregister && builder.ForceDeleteSnapshot);
        Assert.Equal("terminate", builder.ShutdownBehavior);
        Assert.True(builder.EnaSupport);
        Assert.False(builder.SriovSupport);
        Assert.Equal(new MetadataOptions { HttpEndpoint = "enabled", HttpTokens = "required", HttpPutResponseHopLimit = 2, InstanceMetadataTags = "disabled" }, builder.MetadataOptions);
        Assert.Equal(new AwsPolling { DelaySeconds = 5, MaxAttempts = 100 }, builder.AwsPolling);
    }

    [Fact]
    public void Optional_http_tokens_are_honored_with_a_warning_and_required_ones_without()
    {
        var optional = AssertValid(Load(WithBuilder("\"metadata_options\": {\"http_tokens\": \"optional\"}")));
        Assert.Equal("optional", optional.Definition!.Builds[0].Builder.MetadataOptions!.HttpTokens);
        var warning = Assert.Single(optional.Warnings);
        Assert.EndsWith("metadata_options.http_tokens", warning.JsonPath, StringComparison.Ordinal);
        Assert.Contains("IMDSv1", warning.Message, StringComparison.Ordinal);

        Assert.Empty(AssertValid(Load(WithBuilder("\"metadata_options\": {\"http_tokens\": \"required\"}"))).Warnings);
    }

    [Fact]
    public void Build_time_data_is_kept_for_later_steps()
    {
        var builder = Bind("\"ami_description\": \"from {{ .SourceAMIName }} in {{ .BuildRegion }}\", \"tags\": {\"src\": \"{{ .SourceAMI }}\", \"n\": \"{{ build `ID` }}\"}");
        Assert.Contains("{{ .SourceAMIName }}", builder.AmiDescription, StringComparison.Ordinal);
        Assert.Contains(".SourceAMI", builder.Tags["src"], StringComparison.Ordinal);
        Assert.Contains("build", builder.Tags["n"], StringComparison.Ordinal);
    }

    [Fact]
    public void Ami_name_with_build_time_data_checks_only_its_literal_text()
    {
        Assert.Contains("SourceAMIName", Bind("\"ami_name\": \"x-{{ .SourceAMIName }}\"").AmiName, StringComparison.Ordinal);
        AssertSingleError(Load(WithBuilder("\"ami_name\": \"x#{{ .SourceAMIName }}\"")), "'#'");
    }

    [Theory]
    [InlineData("ab", "is 2 characters long")]
    [InlineData("a:b:c", "':'")]
    public void Ami_name_rules(string name, string fragment) =>
        AssertSingleError(Load(WithBuilder($"\"ami_name\": \"{name}\"")), fragment);

    [Fact]
    public void Ssh_and_winrm_keys_give_one_warning_for_the_whole_file()
    {
        var result = AssertValid(Load("{\"builders\": [" + MinimalBuilder.TrimEnd('}', '\n', ' ') + ", \"ssh_username\": \"ubuntu\", \"communicator\": \"ssh\", \"winrm_port\": 5986}, "
            + MinimalBuilder.TrimEnd('}', '\n', ' ') + ", \"name\": \"two\", \"ssh_timeout\": \"5m\"}]}"));
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("SSM Run Command", warning.Message, StringComparison.Ordinal);
        Assert.Contains("ssh_username", warning.Message, StringComparison.Ordinal);
        Assert.Contains("ssh_timeout", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_are_errors_with_a_suggestion_and_known_unsupported_keys_say_why()
    {
        var unknown = AssertSingleError(Load(WithBuilder("\"ami_regoins\": [\"x\"]")), "unknown key");
        Assert.Equal("ami_regions", unknown.Suggestion);
        AssertSingleError(Load(WithBuilder("\"fleet_tags\": {\"a\": \"b\"}")), "not supported by Bakery");
    }

    [Fact]
    public void Only_and_except_on_the_command_line_select_builders()
    {
        var json = "{\"builders\": [" + MinimalBuilder.TrimEnd('}', '\n', ' ') + ", \"name\": \"a\"}, " + MinimalBuilder.TrimEnd('}', '\n', ' ') + ", \"name\": \"b\"}]}";
        Assert.Equal(["b"], AssertValid(Load(json, only: ["b"])).Definition!.Builds.Select(b => b.Builder.Name));
        Assert.Equal(["a"], AssertValid(Load(json, except: ["b"])).Definition!.Builds.Select(b => b.Builder.Name));
        // Packer 1.6.6: `-only a,b -except b` validates builder a only; `-only b -except nope` exits 0.
        Assert.Equal(["a"], AssertValid(Load(json, only: ["a", "b"], except: ["b"])).Definition!.Builds.Select(b => b.Builder.Name));
    }

    [Fact]
    public void A_templated_builder_name_is_its_rendered_name_for_the_build_and_for_only()
    {
        // Packer 1.6.6 on image-builder's "name": "{{user `build_name`}}": the build is "ubuntu-2204" and `-only ubuntu-2204` selects it.
        var json = "{\"variables\": {\"build_name\": \"ubuntu-2204\"}, \"builders\": [" + MinimalBuilder.TrimEnd('}', '\n', ' ') + ", \"name\": \"{{user `build_name`}}\"}], "
            + "\"post-processors\": [{\"type\": \"manifest\", \"only\": [\"ubuntu-2204\"]}]}";

        var plan = Assert.Single(AssertValid(Load(json)).Definition!.Builds);
        Assert.Equal("ubuntu-2204", plan.Builder.Name);
        Assert.Single(plan.PostProcessors);
        Assert.Equal(["ubuntu-2204"], AssertValid(Load(json, only: ["ubuntu-2204"])).Definition!.Builds.Select(b => b.Builder.Name));
        Assert.Empty(AssertValid(Load(json, except: ["ubuntu-2204"])).Definition!.Builds);
    }

    [Fact]
    public void What_only_and_except_leave_out_is_not_validated()
    {
        // Packer 1.6.6: beside an amazon-ebs builder, {"type": "docker", "bogus": 1}, a docker-tag post-processor and an ansible
        // provisioner, both only for docker: `packer validate -only amazon-ebs` and `-except docker` exit 0; without them
        // "Failed to prepare build: "docker" ... unknown configuration key: '"bogus"'".
        var json = "{\"builders\": [" + MinimalBuilder + ", {\"type\": \"docker\", \"image\": \"x\", \"bogus\": 1}], "
            + "\"provisioners\": [{\"type\": \"ansible\", \"playbook_file\": \"nope.yml\", \"only\": [\"docker\"]}, {\"type\": \"shell\", \"inline\": [\"x\"]}], "
            + "\"post-processors\": [{\"type\": \"docker-tag\", \"only\": [\"docker\"]}, {\"type\": \"manifest\"}]}";

        Assert.Equal(["amazon-ebs"], AssertValid(Load(json, only: ["amazon-ebs"])).Definition!.Builds.Select(b => b.Builder.Name));
        var plan = AssertValid(Load(json, except: ["docker"])).Definition!.Builds.Single();
        Assert.Single(plan.Provisioners);
        Assert.Single(plan.PostProcessors);
        Assert.False(Load(json).IsValid);
    }

    [Fact]
    public void A_builder_with_an_error_still_has_its_name_for_only_and_an_unknown_name_is_a_warning()
    {
        // Packer 1.6.6 on builders "a" (instance_type "") and "b": `-only b` exits 0, `-only a` fails on a's instance_type,
        // `-only nope` exits 0 (nothing is selected).
        var json = "{\"builders\": [" + MinimalBuilder.Replace("t3.micro", "", StringComparison.Ordinal).TrimEnd('}', '\n', ' ') + ", \"name\": \"a\"}, "
            + MinimalBuilder.TrimEnd('}', '\n', ' ') + ", \"name\": \"b\"}]}";

        AssertValid(Load(json, only: ["b"]));
        var error = AssertSingleError(Load(json, only: ["a"]), "instance_type");
        Assert.DoesNotContain("-only", error.File, StringComparison.Ordinal);
        var nothing = AssertValid(Load(json, only: ["nope"]));
        Assert.Empty(nothing.Definition!.Builds);
        Assert.Contains(nothing.Warnings, w => w.File == "-only" && w.Message.Contains("(builders: a, b)", StringComparison.Ordinal));
    }
}
