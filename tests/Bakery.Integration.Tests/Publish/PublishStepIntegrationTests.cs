using Bakery.Testing.Moto;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Ledger;
using Bakery.Core.Manifests;
using Bakery.Core.Steps;
using Bakery.Core.Triggers;
using Bakery.Integration.Tests.Support;
using Bakery.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Integration.Tests.Publish;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public class PublishStepIntegrationTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Writes_the_manifest_beside_the_build_file_and_completes_the_ledger()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        await stack.PutAsync("builds/web/build.json", """
            {
              "builders": [{ "type": "amazon-ebs", "name": "web", "region": "us-east-1", "source_ami": "ami-cd0f5cb6",
                             "instance_type": "t3.micro", "ami_name": "web-{{timestamp}}", "ami_regions": ["us-west-2"] }],
              "post-processors": [{ "type": "manifest", "output": "out/manifest.json", "strip_path": true }]
            }
            """);
        var prepared = await new PrepareStep(stack.Services, stack.Ledger, stack.Configuration, AwsRetry.Immediate(), clock)
            .RunAsync(new BuildRequest { Kind = TriggerKind.Console, Bucket = stack.Bucket, Key = "builds/web/build.json", ExplicitBuildId = "web-1" }, CancellationToken.None);
        var finished = prepared.Builds![0] with
        {
            Image = new ImageInfo { Region = "us-east-1", ImageId = "ami-east" },
            Copies = [new ImageInfo { Region = "us-west-2", ImageId = "ami-west" }],
            Timings = [new StepTiming("Teardown", clock.GetUtcNow(), clock.GetUtcNow().AddMinutes(9))],
        };
        var publish = new PublishStep(stack.Services, stack.Ledger, AwsRetry.Immediate(), clock);

        await publish.RunAsync(prepared with { Builds = null, Results = [finished] }, CancellationToken.None);
        await publish.RunAsync(prepared with { Builds = null, Results = [finished] }, CancellationToken.None);

        var manifest = PackerManifestWriter.Parse(System.Text.Encoding.UTF8.GetBytes((await stack.TextAsync("builds/web/out/manifest.json"))!));
        var entry = Assert.Single(manifest!.Builds);
        Assert.Equal(("web", "amazon-ebs", "us-east-1:ami-east,us-west-2:ami-west"), (entry.Name, entry.BuilderType, entry.ArtifactId));
        Assert.Equal(clock.GetUtcNow().AddMinutes(9).ToUnixTimeSeconds(), entry.BuildTime);
        Assert.Equal(PublishStep.RunUuid("web-1"), manifest.LastRunUuid);

        var record = await stack.Ledger.GetAsync("web-1", CancellationToken.None);
        Assert.Equal(BuildStatus.Succeeded, record!.Status);
        Assert.Equal(["us-east-1:ami-east", "us-west-2:ami-west"], record.Images.Select(i => $"{i.Region}:{i.ImageId}"));
    }

    [Fact]
    public async Task Called_again_after_failing_for_good_it_records_the_failure_with_the_images_and_never_overwrites_a_finished_record()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        await stack.PutAsync("builds/web/build.json", """
            {
              "builders": [{ "type": "amazon-ebs", "name": "web", "region": "us-east-1", "source_ami": "ami-cd0f5cb6",
                             "instance_type": "t3.micro", "ami_name": "web-{{timestamp}}" }],
              "post-processors": [{ "type": "manifest", "output": "out/manifest.json" }]
            }
            """);
        var prepare = new PrepareStep(stack.Services, stack.Ledger, stack.Configuration, AwsRetry.Immediate(), clock);
        var publish = new PublishStep(stack.Services, stack.Ledger, AwsRetry.Immediate(), clock);
        var error = new ErrorInfo { Error = "AwsTransientError", Cause = "S3 PutObject (manifest) still failing after 6 attempts" };
        async Task<BakeState> FinishedAsync(string buildId)
        {
            var prepared = await prepare.RunAsync(
                new BuildRequest { Kind = TriggerKind.Console, Bucket = stack.Bucket, Key = "builds/web/build.json", ExplicitBuildId = buildId }, CancellationToken.None);
            await stack.Ledger.RecordStepAsync(buildId, "Publish", "Failed", CancellationToken.None);
            return prepared with { Builds = null, Results = [prepared.Builds![0] with { Image = new ImageInfo { Region = "us-east-1", ImageId = $"ami-{buildId}" } }] };
        }

        var failing = await FinishedAsync("web-failing");
        await publish.RunAsync(failing with { Error = error }, CancellationToken.None);
        // The failed attempt had closed the record before its answer was lost: the record stays as it is.
        var closed = await FinishedAsync("web-closed");
        await publish.RunAsync(closed, CancellationToken.None);
        await publish.RunAsync(closed with { Error = error }, CancellationToken.None);

        var record = await stack.Ledger.GetAsync("web-failing", CancellationToken.None);
        Assert.Equal((BuildStatus.Failed, "AwsTransientError"), (record!.Status, record.ErrorName));
        Assert.Contains("Publish failed: AwsTransientError: S3 PutObject (manifest)", record.ErrorCause, StringComparison.Ordinal);
        Assert.Equal(["us-east-1:ami-web-failing"], record.Images.Select(i => $"{i.Region}:{i.ImageId}"));
        Assert.Equal(BuildStatus.Succeeded, (await stack.Ledger.GetAsync("web-closed", CancellationToken.None))!.Status);
        var manifest = PackerManifestWriter.Parse(System.Text.Encoding.UTF8.GetBytes((await stack.TextAsync("builds/web/out/manifest.json"))!));
        Assert.Equal(["us-east-1:ami-web-closed"], manifest!.Builds.Select(b => b.ArtifactId));
    }
}
