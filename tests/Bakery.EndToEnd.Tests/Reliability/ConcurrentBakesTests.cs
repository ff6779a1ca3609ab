using Amazon.EC2.Model;
using Bakery.Core.Aws;
using Bakery.Core.Ledger;
using Bakery.EndToEnd.Tests.Workflow;
using Bakery.Local.StandIn;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Reliability;

/// <summary>
/// Builds started at once on the stand-in (the real definition, the AOT bootstrap, moto), each from its own upload
/// of the seed example, through the same driver as the scale benchmark (<see cref="ConcurrentBakes"/>). Every resource a
/// build touches must be its own: no two builds share an instance or an AMI, every tag names the build that made it, and
/// nothing is left. No timing is asserted (docs/benchmarks.md has the wall time); the timeout only bounds a hang.
/// </summary>
/// <remarks>
/// Three builds per function environment: every step's invocations outnumber its bootstrap processes, so each process
/// serves several builds in turn (what one invocation leaves in a warm process would reach another build) and invokes
/// queue for a free one, while all the executions run side by side in the runner. More builds repeat the same
/// interleaving; the benchmark's 50 (docs/benchmarks.md section 5, `tools/benchmarks`) measures scale, not isolation.
/// </remarks>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class ConcurrentBakesTests(LocalBakery bakery, ITestOutputHelper output)
{
    private const int Builds = 3 * LocalBakery.EnvironmentsPerFunction;
    private const string BuildIdTag = "bakery:build-id";
    // 50 took 73 s on a loaded 2-core machine (docs/benchmarks.md "Scale"); far more here so a slow CI machine never fails it.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task More_builds_at_once_than_function_environments_all_succeed_each_with_its_own_instance_ami_tags_staging_and_ledger_record_and_nothing_leaks()
    {
        var name = $"many-{Guid.NewGuid():N}"[..14];
        using var timeout = new CancellationTokenSource(Timeout);

        var run = await new ConcurrentBakes(bakery.S3, LocalBakery.Bucket, LocalBakery.Region, bakery.Runner.Ungated)
            .RunAsync(RepositoryPaths.Combine("examples", "nginx"), "my_test_build.json", Builds, name, timeout.Token);
        output.WriteLine($"{Builds} builds at once: {run.WallMs / 1000:0.0} s");

        Assert.All(run.Bakes, bake => Assert.True(bake.Succeeded, $"{bake.Key}: {bake.Error}"));
        var builds = run.Bakes.Select(Baked.From).ToList();
        Assert.Equal(Builds, builds.Select(b => b.BuildId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Builds, builds.Select(b => b.InstanceId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Builds, builds.Select(b => b.ImageId).Distinct(StringComparer.Ordinal).Count());

        var instances = (await bakery.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [.. builds.Select(b => b.InstanceId)] }))
            .Reservations!.SelectMany(r => r.Instances!).ToDictionary(i => i.InstanceId, StringComparer.Ordinal);
        var images = ((await bakery.Ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [.. builds.Select(b => b.ImageId)] })).Images ?? [])
            .ToDictionary(i => i.ImageId, StringComparer.Ordinal);
        var ledger = new DynamoDbBuildLedger(bakery.DynamoDb, LocalBakery.LedgerTable, TimeProvider.System, new AwsRetry(TimeProvider.System));
        foreach (var build in builds)
        {
            var instance = instances[build.InstanceId];
            Assert.Equal(build.BuildId, Tag(instance.Tags, BuildIdTag));
            Assert.Equal("terminated", instance.State.Name.Value);

            var image = images[build.ImageId];
            Assert.Equal(build.BuildId, Tag(image.Tags, BuildIdTag));
            // The AMI is named after this build's own upload (ConcurrentBakes marks each copy's ami_name).
            Assert.StartsWith($"packer.my_test_machine.{name}-{build.Index}.", image.Name, StringComparison.Ordinal);
            var snapshotIds = (image.BlockDeviceMappings ?? []).Select(m => m.Ebs?.SnapshotId).OfType<string>().ToList();
            var snapshots = (await bakery.Ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = snapshotIds })).Snapshots ?? [];
            Assert.NotEmpty(snapshots);
            Assert.All(snapshots, snapshot => Assert.Equal(build.BuildId, Tag(snapshot.Tags, BuildIdTag)));

            Assert.Empty(await bakery.KeysAsync($"staging/{build.BuildId}/"));
            var record = await ledger.GetAsync(build.BuildId, CancellationToken.None);
            Assert.NotNull(record);
            Assert.Equal(BuildStatus.Succeeded, record.Status);
            Assert.Equal($"s3://{LocalBakery.Bucket}/{build.Key}", record.Source);
            Assert.Equal([$"{LocalBakery.Region}:{build.ImageId}"], record.Images.Select(i => $"{i.Region}:{i.ImageId}"));
        }

        var buildIds = builds.Select(b => b.BuildId).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(await bakery.ManagedInstancesAsync(), i => i.State.Name != "terminated" && buildIds.Contains(Tag(i.Tags, BuildIdTag) ?? ""));
        Assert.DoesNotContain(await bakery.ManagedSecurityGroupsAsync(), g => buildIds.Contains(Tag(g.Tags, BuildIdTag) ?? ""));
    }

    private static string? Tag(List<Amazon.EC2.Model.Tag>? tags, string key) => tags?.FirstOrDefault(t => t.Key == key)?.Value;

    /// <summary>What one execution says it made: its build id, and the instance and AMI of its (single) build.</summary>
    private sealed record Baked(int Index, string Key, string BuildId, string InstanceId, string ImageId)
    {
        public static Baked From(ConcurrentBake bake)
        {
            var output = bake.Result!.Output!.Value;
            var build = Assert.Single(output.GetProperty("results").EnumerateArray().ToList());
            return new Baked(
                bake.Index,
                bake.Key,
                output.GetProperty("buildId").GetString()!,
                build.GetProperty("instance").GetProperty("instanceId").GetString()!,
                build.GetProperty("image").GetProperty("imageId").GetString()!);
        }
    }
}
