using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.EC2.Model;
using Amazon.S3.Model;
using Filter = Amazon.EC2.Model.Filter;
using Bakery.Core.Exceptions;
using Bakery.Testing;
using Bakery.Testing.Cli;
using Bakery.Testing.Moto;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Cli;

/// <summary>
/// <c>bakery build</c> as a user runs it: the built CLI in its own process, in local mode, with moto (the collection's
/// server, reached through <c>AWS_ENDPOINT_URL</c>) as its AWS stand-in — the real definition, the AOT bootstrap and
/// the local Lambda service in between. Each test checks what the user sees and what is left in moto.
/// </summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed partial class BuildCommandEndToEndTests(MotoFixture moto, ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    // The stand-in's bucket in local mode (LocalStandInOptions.ResourcePrefix).
    private const string Bucket = "bakery-local";

    private readonly string _workDirectory = Directory.CreateTempSubdirectory("bakery-cli-e2e-").FullName;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        // Published once for the test run and shared with the CLI (same cache folder), so the CLI does not publish it again.
        await PublishedBootstrap.GetPathAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Directory.Delete(_workDirectory, recursive: true);

    [Fact]
    public async Task The_seed_example_prints_its_ami_which_moto_has_with_the_build_files_tags_and_nothing_else_is_left()
    {
        var result = await RunInAsync(RepositoryPaths.Combine("examples", "nginx"), "my_test_build.json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("==> amazon-ebs: Launching a source AWS instance...", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("==> amazon-ebs: Provisioning with shell script: packer_provision.sh", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("==> Builds finished. The artifacts of successful builds are:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--> amazon-ebs: AMIs were created:", result.Stdout, StringComparison.Ordinal);
        var amiId = Assert.Single(AmiLines().Matches(result.Stdout)).Groups["ami"].Value;

        using var ec2 = StandInClients.Ec2();
        var image = Assert.Single((await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [amiId] })).Images);
        Assert.Equal("available", image.State.Value);
        Assert.StartsWith("packer.my_test_machine.", image.Name, StringComparison.Ordinal);
        var tags = TagMap(image.Tags);
        Assert.Equal(image.Name, tags["Name"]);
        Assert.Equal("packer", tags["source"]);
        var snapshotIds = (image.BlockDeviceMappings ?? []).Select(m => m.Ebs?.SnapshotId).OfType<string>().ToList();
        Assert.NotEmpty(snapshotIds);
        var snapshots = (await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = snapshotIds })).Snapshots;
        Assert.All(snapshots, snapshot => Assert.Equal("packer", TagMap(snapshot.Tags)["source"]));

        await AssertNothingLeftAsync(expectedImages: 1);
    }

    [Fact]
    public async Task The_seeds_HCL2_twin_bakes_the_ami_the_JSON_seed_bakes_same_name_pattern_tags_and_provisioner()
    {
        // From the seed's folder, as the article runs `packer build my_test_build.json`.
        var json = await RunInAsync(RepositoryPaths.Combine("examples", "nginx"), "my_test_build.json");
        var hcl = await RunInAsync(RepositoryPaths.Combine("examples", "nginx"), "my_test_build.pkr.hcl");

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.True(hcl.ExitCode == 0, hcl.ToString());
        // Packer names an HCL2 build TYPE.NAME; the JSON builder is named after its type.
        var jsonRun = Assert.Single(ShellProvisioningLines().Matches(json.Stdout));
        var hclRun = Assert.Single(ShellProvisioningLines().Matches(hcl.Stdout));
        Assert.Equal(("amazon-ebs", "amazon-ebs.my_test_machine"), (jsonRun.Groups["builder"].Value, hclRun.Groups["builder"].Value));
        Assert.Equal("packer_provision.sh", Path.GetFileName(jsonRun.Groups["script"].Value));
        Assert.Equal("packer_provision.sh", Path.GetFileName(hclRun.Groups["script"].Value));

        using var ec2 = StandInClients.Ec2();
        var images = new List<Image>();
        foreach (var result in new[] { json, hcl })
        {
            var amiId = Assert.Single(AmiLines().Matches(result.Stdout)).Groups["ami"].Value;
            images.Add(Assert.Single((await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [amiId] })).Images));
        }

        Assert.All(images, image => Assert.Matches(@"^packer\.my_test_machine\.\d{10}$", image.Name));
        // The build's own tags are the same; Bakery's (build id, builder) name the build that made each.
        Dictionary<string, string> Own(Image image) => TagMap(image.Tags).Where(t => !t.Key.StartsWith("bakery:", StringComparison.Ordinal))
            .ToDictionary(t => t.Key, t => t.Key == "Name" ? t.Value.Replace(image.Name, "NAME", StringComparison.Ordinal) : t.Value, StringComparer.Ordinal);
        Assert.Equal(new Dictionary<string, string> { ["Name"] = "NAME", ["source"] = "packer" }, Own(images[0]));
        Assert.Equal(Own(images[0]), Own(images[1]));
        Assert.Equal(TagMap(images[0].Tags).Keys.Order(), TagMap(images[1].Tags).Keys.Order());
        Assert.Equal(images[0].BlockDeviceMappings.Count, images[1].BlockDeviceMappings.Count);

        await AssertNothingLeftAsync(expectedImages: 2);
    }

    [GeneratedRegex(@"^==> (?<builder>\S+): Provisioning with shell script: (?<script>\S+)$", RegexOptions.Multiline)]
    private static partial Regex ShellProvisioningLines();

    [Fact]
    public async Task Var_and_var_file_values_reach_the_ami_name_and_tags_with_packers_precedence()
    {
        var folder = Resource("vars");
        var result = await RunAsync(
            "-var-file", Path.Combine(folder, "prod.json"),
            "-var", "app=web",
            Path.Combine(folder, "app_build.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var amiId = Assert.Single(AmiLines().Matches(result.Stdout)).Groups["ami"].Value;
        using var ec2 = StandInClients.Ec2();
        var image = Assert.Single((await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [amiId] })).Images);
        Assert.StartsWith("bakery-web-prod-", image.Name, StringComparison.Ordinal);
        var tags = TagMap(image.Tags);
        Assert.Equal("web", tags["App"]);
        Assert.Equal("prod", tags["Env"]);
    }

    [Fact]
    public async Task A_folder_of_templates_bakes_as_one_build_with_its_auto_var_file_and_var()
    {
        // `packer build .` in a folder whose variables, source and build are in three files.
        var result = await RunInAsync(Resource("web-folder"), "-var", "env=prod", ".");

        Assert.True(result.ExitCode == 0, result.ToString());
        // The id the CLI derived from its upload (for an interrupt's cleanup) is the one Prepare gave the build.
        Assert.DoesNotContain("as the CLI predicted", result.ToString(), StringComparison.Ordinal);
        Assert.Contains("==> amazon-ebs.web: Provisioning with shell script: ", result.Stdout, StringComparison.Ordinal);
        var amiId = Assert.Single(AmiLines().Matches(result.Stdout)).Groups["ami"].Value;
        using var ec2 = StandInClients.Ec2();
        var image = Assert.Single((await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [amiId] })).Images);
        Assert.StartsWith("bakery-folder-prod-", image.Name, StringComparison.Ordinal);
        Assert.Equal(("folder", "prod"), (TagMap(image.Tags)["App"], TagMap(image.Tags)["Env"]));
        // One build: one instance launched, its id the folder's (builds/web-folder/), whose files were uploaded together.
        var instance = Assert.Single(await ManagedInstancesAsync());
        Assert.StartsWith("web-folder-", TagMap(instance.Tags)["bakery:build-id"], StringComparison.Ordinal);
        using var s3 = StandInClients.S3();
        var keys = ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "builds/web-folder/" })).S3Objects ?? []).Select(o => o.Key).ToList();
        Assert.Equal(
            ["builds/web-folder/app.auto.pkrvars.hcl", "builds/web-folder/build.pkr.hcl", "builds/web-folder/build.vars.json", "builds/web-folder/scripts/setup.sh",
                "builds/web-folder/sources.pkr.hcl", "builds/web-folder/variables.pkr.hcl"],
            keys.Order(StringComparer.Ordinal));
        await AssertNothingLeftAsync(expectedImages: 1);
    }

    [Fact]
    public async Task A_required_variable_left_unset_is_reported_and_nothing_starts()
    {
        var result = await RunAsync(Path.Combine(Resource("vars"), "app_build.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a valid build file; nothing was started", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("app", result.Stdout, StringComparison.Ordinal);
        await AssertMotoUntouchedAsync();
    }

    [Fact]
    public async Task Only_builds_the_named_builder_of_a_two_builder_file()
    {
        var result = await RunAsync("-only=worker", Path.Combine(Resource("only"), "two_builders.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("--> worker: AMIs were created:", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("web:", result.Stdout, StringComparison.Ordinal);
        var images = await OwnImagesAsync();
        var image = Assert.Single(images);
        Assert.StartsWith("bakery-cli-worker-", image.Name, StringComparison.Ordinal);
        Assert.Equal(image.ImageId, Assert.Single(AmiLines().Matches(result.Stdout)).Groups["ami"].Value);
        await AssertNothingLeftAsync(expectedImages: 1);
    }

    [Fact]
    public async Task Machine_readable_output_is_packers_csv_lines_with_the_artifact_rows()
    {
        var result = await RunInAsync(RepositoryPaths.Combine("examples", "nginx"), "-machine-readable", "my_test_build.json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.Matches(MachineReadableLine(), line));
        Assert.Contains(lines, line => line.EndsWith(",amazon-ebs,artifact-count,1", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.EndsWith(",amazon-ebs,artifact,0,builder-id,mitchellh.amazonebs", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.EndsWith(",amazon-ebs,artifact,0,end", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains(",ui,say,==> amazon-ebs: Launching a source AWS instance...", StringComparison.Ordinal));
        var idLine = Assert.Single(lines, line => line.Contains(",amazon-ebs,artifact,0,id,", StringComparison.Ordinal));
        var amiId = idLine[(idLine.IndexOf(",id,us-east-1:", StringComparison.Ordinal) + ",id,us-east-1:".Length)..];
        Assert.Single(await OwnImagesAsync(), image => image.ImageId == amiId);
    }

    [Fact]
    public async Task A_source_ami_filter_that_matches_nothing_fails_with_the_error_and_step_and_leaves_nothing()
    {
        var result = await RunAsync(Path.Combine(Resource("failing"), "no_source_image.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Some builds didn't complete successfully and had errors:", result.Stdout, StringComparison.Ordinal);
        var errorLine = Assert.Single(result.Stdout.Split('\n'), line => line.Contains(nameof(SourceImageNotFound), StringComparison.Ordinal) && line.StartsWith("==> Prepare: ", StringComparison.Ordinal));
        Assert.Contains("bakery-no-such-image-*", errorLine, StringComparison.Ordinal);
        Assert.DoesNotContain("AMIs were created", result.Stdout, StringComparison.Ordinal);
        await AssertNothingLeftAsync(expectedImages: 0);
        Assert.Empty(await ManagedInstancesAsync());
    }

    [Fact]
    public async Task An_unknown_pinned_source_ami_fails_with_SourceImageNotFound_naming_it_and_launches_nothing()
    {
        var result = await RunAsync(Path.Combine(Resource("failing"), "unknown_source_ami.json"));

        Assert.Equal(1, result.ExitCode);
        var errorLine = Assert.Single(result.Stdout.Split('\n'), line => line.Contains(nameof(SourceImageNotFound), StringComparison.Ordinal) && line.StartsWith("==> Prepare: ", StringComparison.Ordinal));
        Assert.Contains("unknown_source_ami.json: builder 'amazon-ebs': source_ami 'ami-0123456789abcdef0' was not found in us-east-1", errorLine, StringComparison.Ordinal);
        Assert.DoesNotContain("Found Image ID", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Launching a source AWS instance", result.Stdout, StringComparison.Ordinal);
        await AssertNothingLeftAsync(expectedImages: 0);
        Assert.Empty(await ManagedInstancesAsync());
    }

    [Fact]
    public async Task An_invalid_build_file_prints_its_errors_and_starts_nothing()
    {
        var result = await RunAsync(Path.Combine(AppContext.BaseDirectory, "resources", "Cli", "invalid.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a valid build file; nothing was started", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("invalid.json:1:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("instance_type", result.Stdout, StringComparison.Ordinal);
        await AssertMotoUntouchedAsync();
    }

    [Fact]
    public async Task A_file_source_folder_holding_a_link_to_etc_passwd_is_refused_before_anything_is_uploaded_or_launched()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_workDirectory, "linked"));
        Directory.CreateDirectory(Path.Combine(folder.FullName, "files"));
        File.WriteAllText(Path.Combine(folder.FullName, "files", "app.conf"), "port=80\n");
        File.CreateSymbolicLink(Path.Combine(folder.FullName, "files", "passwd"), "/etc/passwd");
        var buildFile = Path.Combine(folder.FullName, "linked.json");
        File.WriteAllText(buildFile, """
            {
              "builders": [{"type": "amazon-ebs", "region": "us-east-1", "source_ami": "ami-cd0f5cb6", "instance_type": "t3.micro", "ami_name": "x-{{timestamp}}"}],
              "provisioners": [{"type": "file", "source": "files/", "destination": "/tmp/app"}]
            }
            """);

        var result = await RunInAsync(folder.FullName, buildFile);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a valid build file; nothing was started", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"files/\" holds the symbolic link files/passwd -> /etc/passwd", result.Stdout, StringComparison.Ordinal);
        await AssertMotoUntouchedAsync();
    }

    [Fact]
    public async Task The_manifest_post_processor_writes_packers_manifest_relative_to_the_current_folder()
    {
        var result = await RunAsync(Path.Combine(Resource("manifest"), "manifest_build.json"));

        Assert.True(result.ExitCode == 0, result.ToString());
        // As Packer 1.6.6: the manifest post-processor returns its input artifact, so the AMI block is printed twice.
        var printed = AmiLines().Matches(result.Stdout).Select(match => match.Groups["ami"].Value).ToList();
        Assert.Equal(2, printed.Count);
        var amiId = Assert.Single(printed.Distinct());
        var path = Path.Combine(_workDirectory, "out", "manifest.json");
        Assert.True(File.Exists(path), result.ToString());
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        var build = Assert.Single(manifest.RootElement.GetProperty("builds").EnumerateArray());
        Assert.Equal("amazon-ebs", build.GetProperty("name").GetString());
        Assert.Equal("amazon-ebs", build.GetProperty("builder_type").GetString());
        Assert.Equal($"us-east-1:{amiId}", build.GetProperty("artifact_id").GetString());
        Assert.Equal("bakers", build.GetProperty("custom_data").GetProperty("team").GetString());
        Assert.Equal(build.GetProperty("packer_run_uuid").GetString(), manifest.RootElement.GetProperty("last_run_uuid").GetString());
    }

    private Task<CliResult> RunAsync(params string[] arguments) => RunInAsync(_workDirectory, arguments);

    /// <summary>
    /// <c>bakery build</c> run from <paramref name="folder"/>: relative paths in a build file start there, as in Packer
    /// (the seed's <c>packer build my_test_build.json</c> runs in the build file's folder).
    /// </summary>
    private async Task<CliResult> RunInAsync(string folder, params string[] arguments)
    {
        var result = await BakeryCliProcess.RunAsync(folder, ["build", .. arguments]);
        output.WriteLine(result.ToString());
        return result;
    }

    private static string Resource(string folder) => Path.Combine(AppContext.BaseDirectory, "resources", "Cli", folder);

    private static async Task AssertNothingLeftAsync(int expectedImages)
    {
        Assert.All(await ManagedInstancesAsync(), instance => Assert.Equal("terminated", instance.State.Name.Value));
        using var ec2 = StandInClients.Ec2();
        var groups = (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("tag:bakery:managed", ["true"])] })).SecurityGroups ?? [];
        Assert.Empty(groups);
        Assert.Equal(expectedImages, (await OwnImagesAsync()).Count);
        using var s3 = StandInClients.S3();
        var staged = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "staging/" })).S3Objects ?? [];
        Assert.Empty(staged);
    }

    private static async Task AssertMotoUntouchedAsync()
    {
        Assert.Empty(await ManagedInstancesAsync());
        using var s3 = StandInClients.S3();
        Assert.Empty((await s3.ListBucketsAsync()).Buckets ?? []);
    }

    private static async Task<List<Instance>> ManagedInstancesAsync()
    {
        using var ec2 = StandInClients.Ec2();
        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Filter("tag:bakery:managed", ["true"])] });
        return [.. (response.Reservations ?? []).SelectMany(r => r.Instances ?? [])];
    }

    private static async Task<List<Image>> OwnImagesAsync()
    {
        using var ec2 = StandInClients.Ec2();
        return (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] })).Images ?? [];
    }

    private static Dictionary<string, string> TagMap(IEnumerable<Amazon.EC2.Model.Tag>? tags) =>
        (tags ?? []).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    [GeneratedRegex(@"^us-east-1: (?<ami>ami-[0-9a-f]+)$", RegexOptions.Multiline)]
    private static partial Regex AmiLines();

    [GeneratedRegex(@"^\d+,[^,]*,[a-z-]+(,.*)?$")]
    private static partial Regex MachineReadableLine();
}
