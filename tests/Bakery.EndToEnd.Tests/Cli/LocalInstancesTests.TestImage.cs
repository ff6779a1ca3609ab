using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bakery.Core.Exceptions;
using Bakery.Testing;
using Bakery.Testing.Cli;

namespace Bakery.EndToEnd.Tests.Cli;

/// <summary>
/// test_image on the stand-in's real instances, through the real definition and bootstrap: the test instance is a fresh
/// instance of the new AMI (its root filesystem is the image's layer over the base), the test commands really run in it,
/// and every path ends with the test instance gone.
/// </summary>
public sealed partial class LocalInstancesTests
{
    [Fact]
    public async Task The_tested_nginx_example_passes_its_test_on_a_fresh_instance_of_the_new_ami_and_the_manifest_says_so()
    {
        // A copy: the example writes manifest.json beside itself.
        var folder = Path.Combine(_workDirectory, "tested-nginx");
        CopyFolder(RepositoryPaths.Combine("examples", "tested-nginx"), folder);

        var result = await BuildAsync(Path.Combine(folder, "web.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        // Not Ami(result): with a manifest post-processor the artifact is listed twice, as Packer lists it.
        var ami = CreatedAmi().Match(result.Stdout).Groups["ami"].Value;
        Assert.StartsWith("ami-", ami, StringComparison.Ordinal);
        var testInstance = TestInstance(result);
        Assert.Contains($"Test passed: 2 test command(s) passed on {testInstance}, launched from {ami}", result.Stdout, StringComparison.Ordinal);
        Assert.Matches($"Removed [^\\n]*instance {testInstance}", result.Stdout);
        Assert.Empty(LocalInstances());
        Assert.True(File.Exists(InImage(ami, "usr/sbin/nginx")), "the image's layer holds nginx");

        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "manifest.json")))!;
        var build = Assert.Single(manifest["builds"]!.AsArray())!;
        Assert.StartsWith("passed: 2 test command(s) passed", (string?)build["custom_data"]!["bakery_test"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_test_fails_the_build_with_the_commands_real_output_deregisters_the_image_and_leaves_no_instance()
    {
        var result = await BuildAsync(Resource("tested_failing.json"));

        Assert.True(result.ExitCode == 1, result.ToString());
        var text = result.Stdout + result.Stderr;
        Assert.Contains(nameof(ImageTestFailed), text, StringComparison.Ordinal);
        // The first command read the file the build baked: the test ran inside the new image, not on the base.
        Assert.Contains("baked by this build", text, StringComparison.Ordinal);
        Assert.Contains("/root/never-baked.txt: No such file or directory", text, StringComparison.Ordinal);
        var testInstance = TestInstance(result);
        Assert.Matches($"Removed [^\\n]*instance {testInstance}", result.Stdout);
        Assert.Empty(LocalInstances());
        // Deregistered: the stand-in deletes an image's layer with it.
        Assert.Empty(Directory.Exists(Path.Combine(LocalFolder, "images")) ? Directory.GetDirectories(Path.Combine(LocalFolder, "images")) : []);
    }

    [Fact]
    public async Task A_failing_test_with_on_failure_tag_fails_the_build_but_keeps_the_image_and_leaves_no_instance()
    {
        var result = await BuildAsync(Resource("tested_kept.json"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(nameof(ImageTestFailed), result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Test failed (image kept, tagged bakery:tested=false)", result.Stdout, StringComparison.Ordinal);
        var ami = CreatedAmi().Match(result.Stdout).Groups["ami"].Value;
        var testInstance = TestInstance(result);
        Assert.Matches($"Removed [^\\n]*instance {testInstance}", result.Stdout);
        Assert.DoesNotMatch($"Removed [^\\n]*image [^\\n]*{ami}", result.Stdout);
        Assert.Empty(LocalInstances());
        Assert.Equal("baked by this build\n", await File.ReadAllTextAsync(InImage(ami, "root/baked.txt")));
    }

    private string[] LocalInstances()
    {
        var instances = Path.Combine(LocalFolder, "instances");
        return Directory.Exists(instances) ? Directory.GetDirectories(instances) : [];
    }

    private static string TestInstance(CliResult result) => TestInstanceLine().Match(result.Stdout).Groups["id"].Value is { Length: > 0 } id
        ? id
        : throw new Xunit.Sdk.XunitException($"no test instance in the output:\n{result.Stdout}");

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [GeneratedRegex(@"Test instance ID: (?<id>i-[0-9a-f]+)")]
    private static partial Regex TestInstanceLine();

    [GeneratedRegex(@"AMI: (?<ami>ami-[0-9a-f]+)")]
    private static partial Regex CreatedAmi();
}
