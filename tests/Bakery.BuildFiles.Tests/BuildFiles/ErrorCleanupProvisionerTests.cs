using Bakery.BuildFiles.Model;

using static Bakery.BuildFiles.Tests.BuildFiles.BuildFileTestKit;

namespace Bakery.BuildFiles.Tests.BuildFiles;

/// <summary>
/// The legacy JSON <c>error-cleanup-provisioner</c>: one provisioner object at the top level, checked as any provisioner
/// and given to every build (packer 1.6.6 neither checks nor applies its only/except: packer validate accepts
/// <c>"only": ["nope"]</c> there, and core.go builds it for every builder).
/// </summary>
public class ErrorCleanupProvisionerTests
{
    private const string TwoBuilders = """
        {"builders": [
          {"type": "amazon-ebs", "name": "web", "region": "us-east-1", "source_ami": "ami-12345678", "instance_type": "t3.micro", "ami_name": "web-{{timestamp}}"},
          {"type": "amazon-ebs", "name": "api", "region": "us-east-1", "source_ami": "ami-12345678", "instance_type": "t3.micro", "ami_name": "api-{{timestamp}}"}
        ],
        "provisioners": [{"type": "shell", "inline": ["make install"]}],
        "error-cleanup-provisioner": CLEANUP}
        """;

    [Fact]
    public void Every_build_gets_the_cleanup_provisioner_rendered_for_it_and_apart_from_the_provisioners()
    {
        var result = AssertValid(Load(TwoBuilders.Replace("CLEANUP", """
            {"type": "shell", "inline": ["tail -n 100 /var/log/{{build_name}}.log"], "environment_vars": ["LINES=100"], "pause_before": "5s", "timeout": "1m"}
            """, StringComparison.Ordinal)));
        Assert.Equal(2, result.Definition!.Builds.Count);
        foreach (var plan in result.Definition.Builds)
        {
            var cleanup = Assert.IsType<ShellProvisioner>(plan.ErrorCleanupProvisioner);
            Assert.Equal([$"tail -n 100 /var/log/{plan.Builder.Name}.log"], cleanup.Inline);
            Assert.Equal((Provisioner.ErrorCleanupIndex, 5, 60), (cleanup.Index, cleanup.PauseBeforeSeconds, cleanup.TimeoutSeconds ?? 0));
            Assert.Equal(0, Assert.Single(plan.Provisioners).Index);
            Assert.Equal([cleanup], plan.ProvisionersWithErrorCleanup().Skip(1));
        }
    }

    [Fact]
    public void Only_and_except_are_accepted_and_not_applied_as_packer_1_6_6_does()
    {
        var result = AssertValid(Load(TwoBuilders.Replace("CLEANUP", """{"type": "shell", "inline": ["true"], "only": ["nope"]}""", StringComparison.Ordinal)));
        Assert.All(result.Definition!.Builds, plan => Assert.Empty(plan.ErrorCleanupProvisioner!.Only));
        Assert.All(result.Definition.Builds, plan => Assert.NotNull(plan.ErrorCleanupProvisioner));
    }

    [Fact]
    public void A_file_download_collects_logs()
    {
        var result = AssertValid(Load(WithBuilder(rest: """
            "error-cleanup-provisioner": {"type": "file", "direction": "download", "source": "/var/log/cloud-init-output.log", "destination": "logs/"}
            """)));
        var download = Assert.IsType<FileProvisioner>(Assert.Single(result.Definition!.Builds).ErrorCleanupProvisioner);
        Assert.Equal("download", download.Direction);
    }

    [Fact]
    public void A_build_file_without_one_has_none()
    {
        var result = AssertValid(Load(WithProvisioner("""{"type": "shell", "inline": ["true"]}""")));
        Assert.Null(Assert.Single(result.Definition!.Builds).ErrorCleanupProvisioner);
    }

    [Theory]
    // packer 1.6.6: "Error decoding provisioner: '' expected a map, got 'slice'".
    [InlineData("""[{"type": "shell", "inline": ["true"]}]""", "error-cleanup-provisioner is one provisioner object, not an array", "error-cleanup-provisioner")]
    // packer 1.6.6: "Unknown provisioner shel".
    [InlineData("""{"type": "shel", "inline": ["true"]}""", "unknown provisioner type \"shel\"", "error-cleanup-provisioner.type")]
    // packer 1.6.6: "unknown configuration key: '\"bogus\"'".
    [InlineData("""{"type": "shell", "inline": ["true"], "bogus": 1}""", "bogus", "error-cleanup-provisioner.bogus")]
    public void A_wrong_one_is_refused_with_its_place(string cleanup, string message, string path)
    {
        var error = AssertSingleError(Load(WithBuilder(rest: "\"error-cleanup-provisioner\": " + cleanup)), message);
        Assert.Equal(("builds/web/build.json", path), (error.File, error.JsonPath));
    }
}
