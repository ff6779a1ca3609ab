using Amazon;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Bakery.Core.Steps;
using Bakery.Testing;
using Bakery.Testing.Cli;
using Bakery.Testing.Moto;
using Xunit.Abstractions;
using Filter = Amazon.EC2.Model.Filter;

namespace Bakery.EndToEnd.Tests.Cli;

/// <summary>
/// Ctrl-C of <c>bakery build</c> in local mode at each point of the flow, as a user in a terminal sends it (SIGINT to the
/// CLI's process group). The step named is held by the local fault plan (<c>Step:Delay=…</c>: the invocation waits,
/// then runs), so the signal lands while it is in flight and the step does its work after its caller is gone — the hard
/// case for cleanup. The moment is taken from the CLI's own progress line for that step.
/// </summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class BuildInterruptTests(MotoFixture moto, ITestOutputHelper output) : IAsyncLifetime
{
    // The stand-in's bucket and ledger in local mode (LocalStandInOptions.ResourcePrefix).
    private const string Bucket = "bakery-local";
    private const string LedgerTable = "bakery-local-ledger";
    // Long enough for the signal to land while the step is held, even on a loaded machine; the CLI then waits for it.
    private const string Hold = "Delay=5s";
    private const int SigintExitCode = 130;
    private static readonly RegionEndpoint[] Regions = [RegionEndpoint.USEast1, RegionEndpoint.USWest2];

    public static TheoryData<string, string?, string> Points => new()
    {
        // point of the flow, step held (null: none), the CLI line that says the point is reached
        { "starting the stand-in, before any upload", null, "Starting the local stand-in" },
        { "Prepare (staging the scripts, claiming the build)", StepNames.Prepare, "Preparing the build" },
        { "Launch (instance and security group being created)", StepNames.Launch, "Launching a source AWS instance" },
        { "waiting for the instance", StepNames.WaitForInstance, "Waiting for instance" },
        { "provisioning", StepNames.Provision, "Provisioning with shell script" },
        { "creating the image", StepNames.CreateImage, "Creating AMI" },
        { "after the AMI exists (tagging it)", StepNames.TagImage, "Adding tags to AMI" },
        { "copying the AMI to ami_regions", StepNames.CopyImage, "Copying AMI to regions" },
    };

    // moto comes with snapshots of its own (behind its stock AMIs): only those not there before the build count.
    private readonly HashSet<string> _snapshotsBefore = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await PublishedBootstrap.GetPathAsync();
        foreach (var region in Regions)
        {
            using var ec2 = StandInClients.Ec2(region.SystemName);
            _snapshotsBefore.UnionWith(await OwnSnapshotIdsAsync(ec2));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(Points))]
    public async Task Ctrl_c_exits_130_and_leaves_no_instance_group_image_snapshot_staged_file_or_live_ledger_record(string point, string? heldStep, string line)
    {
        var started = DateTime.UtcNow;
        using var cli = StartBuild(heldStep is null ? null : $"{heldStep}:{Hold}");

        Assert.True(await cli.WaitForLineAsync(line), $"{point}: never reached\n{cli.Stdout}");
        if (heldStep is not null)
        {
            await WaitUntilHeldAsync(heldStep, started);
        }

        await cli.InterruptAsync();
        var result = await cli.WaitForExitAsync();
        output.WriteLine(result.ToString());

        Assert.True(result.ExitCode == SigintExitCode, $"{point}: exit {result.ExitCode}\n{result}");
        Assert.Contains("interrupted", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("AMIs were created", result.Stdout, StringComparison.Ordinal);
        var left = await LeftoversAsync();
        Assert.True(left.Count == 0, $"{point}: left behind:\n{string.Join('\n', left)}\n{result}");
        var records = await LedgerRecordsAsync();
        if (heldStep is null)
        {
            // The signal came before (or while) the execution started: whatever Prepare claimed is closed.
            Assert.All(records, record => Assert.Equal("Failed", record["status"].S));
        }
        else
        {
            // Prepare claimed the build (late, for a held Prepare); the CLI closed the record, as Publish would have.
            var record = Assert.Single(records);
            Assert.Equal("Failed", record["status"].S);
            Assert.Equal("Interrupted", record["errorName"].S);
        }
    }

    [Fact]
    public async Task A_second_ctrl_c_stops_the_cleanup_exits_130_and_prints_how_to_remove_what_is_left()
    {
        // Teardown is held far longer than the test waits: the second signal comes while the cleanup is in it.
        var started = DateTime.UtcNow;
        using var cli = StartBuild($"WaitForInstance:{Hold},Teardown:Delay=300s");

        Assert.True(await cli.WaitForLineAsync("Waiting for instance"), cli.Stdout);
        await cli.InterruptAsync();
        Assert.True(await cli.WaitForLineAsync("Cleaning up: terminating"), cli.Stdout);
        await WaitUntilHeldAsync(StepNames.Teardown, started);
        await cli.InterruptAsync();
        var result = await cli.WaitForExitAsync();
        output.WriteLine(result.ToString());

        Assert.True(result.ExitCode == SigintExitCode, result.ToString());
        Assert.Contains("Cleanup interrupted (second Ctrl-C)", result.Stdout, StringComparison.Ordinal);
        // Packer's behaviour: what was not cleaned up yet stays, and the user is told how to remove it.
        using var ec2 = StandInClients.Ec2(RegionEndpoint.USEast1.SystemName);
        var instance = Assert.Single(await LiveInstancesAsync(ec2));
        Assert.Contains(result.Stdout.Split('\n'), l => l.Contains("aws ec2 terminate-instances", StringComparison.Ordinal) && l.Contains(instance.InstanceId, StringComparison.Ordinal));
        Assert.Contains(result.Stdout.Split('\n'), l => l.Contains("aws s3 rm", StringComparison.Ordinal) && l.Contains("staging/", StringComparison.Ordinal));
        var record = Assert.Single(await LedgerRecordsAsync());
        Assert.Equal("Running", record["status"].S);
    }

    private BakeryCliProcess StartBuild(string? faults)
    {
        var environment = new Dictionary<string, string?>();
        if (faults is not null)
        {
            environment["BAKERY_LOCAL_FAULTS"] = faults;
        }

        // From the build file's folder: its script is named relative to the folder bakery runs in, as in Packer.
        return BakeryCliProcess.Start(Path.Combine(AppContext.BaseDirectory, "resources", "Cli", "interrupt"), environment, "build", "interrupt_build.json");
    }

    /// <summary>
    /// Waits until the local Lambda service holds <paramref name="step"/> (its function log in the CLI's log folder has
    /// the fault line): the progress line alone comes from the runner as it enters the state, a moment before it sends
    /// the invocation, and a signal in between would stop the build before the step was ever called.
    /// </summary>
    private static async Task WaitUntilHeldAsync(string step, DateTime since)
    {
        var logs = RepositoryPaths.Combine(".bakery", "logs");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (!Directory.EnumerateFiles(logs, $"{step}Function.log", SearchOption.AllDirectories)
            .Where(log => File.GetLastWriteTimeUtc(log) >= since.AddSeconds(-2))
            .Any(log => File.ReadLines(log).Any(l => l.StartsWith("FAULT", StringComparison.Ordinal) && l.Contains($"{step}:Delay", StringComparison.Ordinal))))
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Everything a build can leave, in every region it touches, as readable lines (empty: nothing left).</summary>
    private async Task<List<string>> LeftoversAsync()
    {
        var left = new List<string>();
        foreach (var region in Regions)
        {
            using var ec2 = StandInClients.Ec2(region.SystemName);
            left.AddRange((await LiveInstancesAsync(ec2)).Select(i => $"{region.SystemName}: instance {i.InstanceId} ({i.State.Name})"));
            var groups = (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [Managed] })).SecurityGroups ?? [];
            left.AddRange(groups.Select(g => $"{region.SystemName}: security group {g.GroupId}"));
            var images = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] })).Images ?? [];
            left.AddRange(images.Select(i => $"{region.SystemName}: image {i.ImageId} ({i.Name})"));
            left.AddRange((await OwnSnapshotIdsAsync(ec2)).Where(id => !_snapshotsBefore.Contains(id)).Select(id => $"{region.SystemName}: snapshot {id}"));
        }

        using var s3 = StandInClients.S3();
        try
        {
            var staged = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "staging/" })).S3Objects ?? [];
            left.AddRange(staged.Select(o => $"staged object {o.Key}"));
        }
        catch (AmazonS3Exception error) when (error.ErrorCode == "NoSuchBucket")
        {
            // Interrupted before the stand-in made its bucket: nothing was staged.
        }

        return left;
    }

    private static async Task<IEnumerable<string>> OwnSnapshotIdsAsync(AmazonEC2Client ec2) =>
        ((await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"] })).Snapshots ?? []).Select(s => s.SnapshotId);

    private static Filter Managed => new("tag:bakery:managed", ["true"]);

    private static async Task<List<Instance>> LiveInstancesAsync(AmazonEC2Client ec2)
    {
        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [Managed] });
        return [.. (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).Where(i => i.State.Name != InstanceStateName.Terminated)];
    }

    private static async Task<List<Dictionary<string, AttributeValue>>> LedgerRecordsAsync()
    {
        using var dynamoDb = StandInClients.DynamoDb();
        try
        {
            return (await dynamoDb.ScanAsync(new ScanRequest { TableName = LedgerTable })).Items ?? [];
        }
        catch (ResourceNotFoundException)
        {
            return [];
        }
    }
}
