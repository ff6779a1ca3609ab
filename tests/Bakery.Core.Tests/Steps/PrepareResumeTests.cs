using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Steps;
using Bakery.Core.Tests.Steps.Fakes;
using Bakery.Core.Triggers;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Core.Tests.Steps;

/// <summary>Prepare on <c>{"resume": "BUILD_ID"}</c>: the failed build's file and builders, seeded from the ledger's hold.</summary>
public class PrepareResumeTests
{
    private const string Bucket = "bakery-templates";
    private const string BuildId = "my-test-build-0123456789abcdef";

    private readonly FakeAws aws = FakeAws.WithSourceImages();
    private readonly InMemoryLedger ledger = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    private PrepareStep Step() => new(
        aws, ledger, new BakeryConfiguration { Bucket = Bucket, LedgerTable = "ledger", InstanceProfile = "builder" }, AwsRetry.Immediate(), clock);

    private static string Resource(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "resources", "prepare", name));

    private void FailedWithItsImageKept(string imageState = "available")
    {
        aws.Store.Put(Bucket, "builds/nginx/my_test_build.json", Resource("nginx_build.json"));
        aws.Store.Put(Bucket, "builds/nginx/packer_provision.sh", "set -x\n");
        aws.AddImage(new ImageDescription("ami-kept", imageState) { Name = "packer.my_test_machine.1", SnapshotIds = ["snap-kept"] });
        ledger.Records[BuildId] = new BuildRecord
        {
            BuildId = BuildId,
            Status = BuildStatus.Failed,
            ErrorName = "ShareFailed",
            Source = $"s3://{Bucket}/builds/nginx/my_test_build.json",
            Resume = new ResumeHold
            {
                UntilEpochSeconds = (clock.GetUtcNow() + TimeSpan.FromDays(1)).ToUnixTimeSeconds(),
                Builders = [new ResumeBuilder { Builder = "amazon-ebs", From = ResumeInfo.FromTagImage, Images = [new BuiltImage("amazon-ebs", "us-east-1", "ami-kept")] }],
            },
        };
    }

    private static BuildRequest Resume() => TriggerNormalizer.Normalize($$"""{"resume": "{{BuildId}}"}""");

    [Fact]
    public async Task A_resume_claims_the_failed_build_again_and_seeds_its_builder_to_continue_after_the_image()
    {
        FailedWithItsImageKept();

        var state = await Step().RunAsync(Resume(), "exec-2", CancellationToken.None);

        Assert.Equal(BuildId, state.BuildId);
        var build = Assert.Single(state.Builds!);
        Assert.Equal(ResumeInfo.FromTagImage, build.Resume!.From);
        Assert.Equal(("ami-kept", "available", "packer.my_test_machine.1"), (build.Image!.ImageId, build.Image.State, build.Image.Name));
        Assert.Equal(["us-east-1:ami-kept"], build.Created.Images);
        // The copies a resume makes take the kept image's name, not a new rendering of {{timestamp}}.
        Assert.Equal("packer.my_test_machine.1", build.Build!.Builder.AmiName);
        Assert.Equal(["us-east-1:snap-kept"], build.Created.Snapshots);
        Assert.Null(build.Instance);
        Assert.Equal("builds/nginx/my_test_build.json", build.Source!.Key);
        var record = ledger.Records[BuildId];
        Assert.Equal(BuildStatus.Claimed, record.Status);
        Assert.NotNull(record.Resume);
    }

    [Fact]
    public async Task A_resume_whose_image_is_gone_is_refused_and_the_failed_record_stays_as_it_was()
    {
        FailedWithItsImageKept("deregistered");
        var before = ledger.Records[BuildId];

        var refused = await Assert.ThrowsAsync<ResumeRefused>(() => Step().RunAsync(Resume(), "exec-2", CancellationToken.None));

        Assert.Contains("the image ami-kept of builder 'amazon-ebs' in us-east-1 is deregistered", refused.Message, StringComparison.Ordinal);
        Assert.Same(before, ledger.Records[BuildId]);
        Assert.DoesNotContain(aws.Store.Objects.Keys, key => key.Contains("staging/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_resume_input_takes_only_resume_vars_and_bakery_settings()
    {
        var request = TriggerNormalizer.Normalize("""{"resume": "b-1", "vars": {"x": "1"}, "bakery": {"test_image": {}}}""");
        Assert.Equal(("b-1", "b-1", "1"), (request.ResumeBuildId, request.ExplicitBuildId, request.Vars["x"]));
        Assert.True(request.Settings!.Value.TryGetProperty("test_image", out _));

        var invalid = Assert.Throws<BuildInputInvalid>(() => TriggerNormalizer.Normalize("""{"resume": "b-1", "template": "s3://b/builds/x/x.json"}"""));
        Assert.Contains("A resume takes only 'resume', 'vars' and 'bakery'", invalid.Message, StringComparison.Ordinal);
        Assert.Throws<BuildInputInvalid>(() => TriggerNormalizer.Normalize("""{"resume": "../x"}"""));
    }
}
