using Bakery.BuildFiles.Model;
using Bakery.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.BuildFiles.Tests.Hcl2;

/// <summary>The repository's HCL2 examples: the seed one bakes exactly what its JSON twin bakes; the second uses every HCL2 feature the issue names.</summary>
public class Hcl2ExampleTests
{
    private static BuildFileResult Load(string relativePath, IReadOnlyList<KeyValuePair<string, string>>? vars = null)
    {
        var path = RepositoryPaths.Combine(relativePath.Split('/'));
        return new BuildFileLoader(new FakeTimeProvider(BuildFiles.BuildFileTestKit.Now)).Load(new BuildFileInput
        {
            Path = path,
            Content = File.ReadAllBytes(path),
            Vars = vars ?? [],
            Files = new LocalBundleFiles(),
            Pwd = RepositoryPaths.Combine(),
        });
    }

    [Fact]
    public void The_seed_example_in_hcl2_resolves_to_the_json_examples_build()
    {
        var json = BuildFiles.BuildFileTestKit.AssertValid(Load("examples/nginx/my_test_build.json")).Definition!;
        var hcl = BuildFiles.BuildFileTestKit.AssertValid(Load("examples/nginx/my_test_build.pkr.hcl")).Definition!;
        var jsonPlan = Assert.Single(json.Builds);
        var hclPlan = Assert.Single(hcl.Builds);
        Assert.Equal("amazon-ebs.my_test_machine", hclPlan.Builder.Name);
        Assert.Equal(jsonPlan.Builder with { Name = "x" }, hclPlan.Builder with { Name = "x", Tags = jsonPlan.Builder.Tags }, new BuilderComparer());
        Assert.Equal(jsonPlan.Builder.Tags, hclPlan.Builder.Tags);
        var jsonShell = Assert.IsType<ShellProvisioner>(Assert.Single(jsonPlan.Provisioners));
        var hclShell = Assert.IsType<ShellProvisioner>(Assert.Single(hclPlan.Provisioners));
        Assert.Equal(jsonShell.Scripts.Select(s => s.BundlePath), hclShell.Scripts.Select(s => s.BundlePath));
        Assert.Equal(jsonShell with { Scripts = [] }, hclShell with { Scripts = [] }, new ProvisionerComparer());
    }

    [Fact]
    public void The_fleet_example_uses_typed_variables_merge_a_data_source_two_sources_and_a_dynamic_block()
    {
        var definition = BuildFiles.BuildFileTestKit.AssertValid(Load("examples/web-fleet/web-fleet.pkr.hcl", [new("environment", "prod")])).Definition!;
        Assert.Equal(["fleet.amazon-ebs.web", "fleet.amazon-ebs.worker"], definition.Builds.Select(b => b.Builder.Name));
        var web = definition.Builds[0];
        Assert.Equal("web-prod-20240506070809", web.Builder.AmiName);
        Assert.Equal(new Dictionary<string, string> { ["BuiltBy"] = "bakery", ["Environment"] = "prod", ["Role"] = "web", ["Team"] = "web" }, web.Builder.Tags);
        Assert.Null(web.Builder.SourceAmi);
        Assert.Equal(["099720109477"], web.Builder.SourceAmiFilter!.Owners);
        Assert.True(web.Builder.SourceAmiFilter.MostRecent);
        Assert.Equal("ebs", web.Builder.SourceAmiFilter.Filters["root-device-type"]);
        Assert.Equal([("/dev/sda1", 8), ("/dev/sdf", 20)], web.Builder.LaunchBlockDeviceMappings.Select(m => (m.DeviceName, m.VolumeSize ?? 0)));
        Assert.Equal(["echo building web for prod"], Assert.IsType<ShellProvisioner>(web.Provisioners[0]).Inline);
        Assert.EndsWith("examples/web-fleet/install-nginx.sh", Assert.IsType<ShellProvisioner>(web.Provisioners[1]).Scripts[0].BundlePath, StringComparison.Ordinal);
        var worker = definition.Builds[1];
        Assert.Equal(["echo building worker for prod"], Assert.IsType<ShellProvisioner>(Assert.Single(worker.Provisioners)).Inline);
        Assert.Equal("manifest.json", Assert.Single(worker.PostProcessors).Output);
    }

    [Fact]
    public void A_data_source_value_outside_source_ami_is_refused_with_the_way_round()
    {
        var result = Hcl2TestKit.Load("""
            data "amazon-ami" "base" {
              filters = { name = "base-*" }
              owners  = ["self"]
            }
            source "amazon-ebs" "web" {
              region        = "us-east-1"
              source_ami    = data.amazon-ami.base.id
              instance_type = "t3.micro"
              ami_name      = "web-${data.amazon-ami.base.id}"
            }
            build { sources = ["source.amazon-ebs.web"] }
            """);
        var error = Hcl2TestKit.SingleError(result, "can only be a source's source_ami = data.amazon-ami.NAME.id");
        Assert.Equal((9, 3), (error.Line, error.Column));
    }

    private sealed class BuilderComparer : IEqualityComparer<AmazonEbsBuilder>
    {
        public bool Equals(AmazonEbsBuilder? x, AmazonEbsBuilder? y) => System.Text.Json.JsonSerializer.Serialize(x, Options) == System.Text.Json.JsonSerializer.Serialize(y, Options);

        public int GetHashCode(AmazonEbsBuilder obj) => 0;
    }

    private sealed class ProvisionerComparer : IEqualityComparer<ShellProvisioner>
    {
        public bool Equals(ShellProvisioner? x, ShellProvisioner? y) => System.Text.Json.JsonSerializer.Serialize(x, Options) == System.Text.Json.JsonSerializer.Serialize(y, Options);

        public int GetHashCode(ShellProvisioner obj) => 0;
    }

    private static readonly System.Text.Json.JsonSerializerOptions Options = new() { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
}
