using Bakery.Testing.Moto;
using Bakery.Core.Ledger;
using Bakery.Integration.Tests.Support;
using Bakery.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Integration.Tests.Ledger;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public class DynamoDbBuildLedgerTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    private static BuildClaim Claim(string id) => new()
    {
        BuildId = id,
        Identity = $"build-id:{id}",
        Source = "s3://b/builds/x.json",
        Trigger = "Console",
        DeadlineEpochSeconds = 1_800_000_000,
    };

    [Fact]
    public async Task A_second_claim_of_the_same_build_loses()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);

        Assert.True(await stack.Ledger.TryClaimAsync(Claim("b-1"), CancellationToken.None));
        Assert.False(await stack.Ledger.TryClaimAsync(Claim("b-1"), CancellationToken.None));

        var record = await stack.Ledger.GetAsync("b-1", CancellationToken.None);
        Assert.Equal(BuildStatus.Claimed, record!.Status);
        Assert.Equal(clock.GetUtcNow(), record.CreatedAt);
        Assert.Equal((clock.GetUtcNow() + TimeSpan.FromDays(90)).ToUnixTimeSeconds(), record.ExpiresAtEpochSeconds);
    }

    [Fact]
    public async Task The_same_claim_token_claims_again_and_another_token_or_none_loses()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        var claim = Claim("b-token") with { ClaimToken = "execution-1" };

        Assert.True(await stack.Ledger.TryClaimAsync(claim, CancellationToken.None));
        // The first attempt recorded its own failure (a transient error) before the workflow retried it.
        await stack.Ledger.FailAsync("b-token", "AwsTransientError", "S3 throttled", CancellationToken.None);
        Assert.True(await stack.Ledger.TryClaimAsync(claim, CancellationToken.None));
        Assert.False(await stack.Ledger.TryClaimAsync(claim with { ClaimToken = "execution-2" }, CancellationToken.None));
        Assert.False(await stack.Ledger.TryClaimAsync(claim with { ClaimToken = null }, CancellationToken.None));

        var record = await stack.Ledger.GetAsync("b-token", CancellationToken.None);
        Assert.Equal((BuildStatus.Claimed, null), (record!.Status, record.ErrorName));
    }

    [Fact]
    public async Task A_claim_without_token_is_never_claimed_again()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);

        Assert.True(await stack.Ledger.TryClaimAsync(Claim("b-none"), CancellationToken.None));
        Assert.False(await stack.Ledger.TryClaimAsync(Claim("b-none") with { ClaimToken = "execution-1" }, CancellationToken.None));
    }

    [Fact]
    public async Task Try_fail_closes_a_live_build_with_its_images_and_leaves_a_finished_one_alone()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        await stack.Ledger.TryClaimAsync(Claim("b-live"), CancellationToken.None);
        await stack.Ledger.RecordStepAsync("b-live", "CreateImage", "Started", CancellationToken.None);
        await stack.Ledger.TryClaimAsync(Claim("b-done"), CancellationToken.None);
        await stack.Ledger.CompleteAsync("b-done", [new BuiltImage("a", "us-east-1", "ami-done")], CancellationToken.None);
        BuiltImage[] images = [new("first", "us-east-1", "ami-first")];

        Assert.True(await stack.Ledger.TryFailAsync("b-live", "BuildAbandoned", "runner gone", images, CancellationToken.None));
        Assert.False(await stack.Ledger.TryFailAsync("b-done", "BuildAbandoned", "runner gone", [], CancellationToken.None));
        Assert.False(await stack.Ledger.TryFailAsync("b-unknown", "BuildAbandoned", "runner gone", [], CancellationToken.None));

        var failed = await stack.Ledger.GetAsync("b-live", CancellationToken.None);
        Assert.Equal((BuildStatus.Failed, "BuildAbandoned", "runner gone"), (failed!.Status, failed.ErrorName, failed.ErrorCause));
        Assert.Equal(["us-east-1:ami-first"], failed.Images.Select(i => $"{i.Region}:{i.ImageId}"));
        var done = await stack.Ledger.GetAsync("b-done", CancellationToken.None);
        Assert.Equal((BuildStatus.Succeeded, null), (done!.Status, done.ErrorName));
        Assert.Null(await stack.Ledger.GetAsync("b-unknown", CancellationToken.None));
    }

    [Fact]
    public async Task A_failed_build_lists_the_images_its_finished_builders_made()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        await stack.Ledger.TryClaimAsync(Claim("b-partial"), CancellationToken.None);

        await stack.Ledger.FailAsync("b-partial", "ProvisionerFailed", "exit 1", [new BuiltImage("good", "us-east-1", "ami-good")], CancellationToken.None);

        var record = await stack.Ledger.GetAsync("b-partial", CancellationToken.None);
        Assert.Equal(BuildStatus.Failed, record!.Status);
        Assert.Equal(["good:us-east-1:ami-good"], record.Images.Select(i => $"{i.Builder}:{i.Region}:{i.ImageId}"));
    }

    [Fact]
    public async Task Follows_a_build_to_success_and_ignores_late_progress()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        await stack.Ledger.TryClaimAsync(Claim("b-2"), CancellationToken.None);

        Assert.True(await stack.Ledger.RecordStepAsync("b-2", "Launch", "Started", CancellationToken.None));
        var running = await stack.Ledger.GetAsync("b-2", CancellationToken.None);
        Assert.Equal((BuildStatus.Running, "Launch", "Started"), (running!.Status, running.Step, running.StepStatus));

        clock.Advance(TimeSpan.FromMinutes(5));
        await stack.Ledger.CompleteAsync("b-2", [new BuiltImage("amazon-ebs", "us-east-1", "ami-1"), new BuiltImage("amazon-ebs", "eu-west-1", "ami-2")], CancellationToken.None);
        Assert.False(await stack.Ledger.RecordStepAsync("b-2", "Publish", "Succeeded", CancellationToken.None));

        var done = await stack.Ledger.GetAsync("b-2", CancellationToken.None);
        Assert.Equal(BuildStatus.Succeeded, done!.Status);
        Assert.Equal(["us-east-1:ami-1", "eu-west-1:ami-2"], done.Images.Select(i => $"{i.Region}:{i.ImageId}"));
        Assert.Equal(clock.GetUtcNow(), done.FinishedAt);
        Assert.False(done.IsLiveAt(clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_succeeded_build_keeps_each_launch_attempt_of_its_capacity_fallback_in_order()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        await stack.Ledger.TryClaimAsync(Claim("b-fallback"), CancellationToken.None);
        var refusal = "InsufficientInstanceCapacity: " + new string('x', 2_000);
        LedgerLaunchAttempt[] attempts =
        [
            new("web", "t3.micro", "spot", null, refusal),
            new("web", "t3.micro", "on-demand", "i-0123", null),
            new("worker", "t3a.micro", "spot", "i-0456", null),
        ];

        await stack.Ledger.CompleteAsync("b-fallback", [new BuiltImage("web", "us-east-1", "ami-1")], attempts, CancellationToken.None);

        var done = await stack.Ledger.GetAsync("b-fallback", CancellationToken.None);
        Assert.Equal(BuildStatus.Succeeded, done!.Status);
        Assert.Equal(
            ["web t3.micro spot - ", "web t3.micro on-demand i-0123 ", "worker t3a.micro spot i-0456 "],
            done.LaunchAttempts.Select(a => $"{a.Builder} {a.InstanceType} {a.Market} {a.InstanceId ?? "- "}{(a.Error is null ? " " : "")}".Replace("  ", " ", StringComparison.Ordinal)));
        // EC2's message is kept, bounded: a list of refusals cannot push the item towards DynamoDB's 400 KB.
        Assert.StartsWith("InsufficientInstanceCapacity: xxx", done.LaunchAttempts[0].Error, StringComparison.Ordinal);
        Assert.InRange(done.LaunchAttempts[0].Error!.Length, 100, 510);
        Assert.Null(done.LaunchAttempts[1].Error);

        await stack.Ledger.TryClaimAsync(Claim("b-plain"), CancellationToken.None);
        await stack.Ledger.CompleteAsync("b-plain", [new BuiltImage("web", "us-east-1", "ami-2")], CancellationToken.None);
        Assert.Empty((await stack.Ledger.GetAsync("b-plain", CancellationToken.None))!.LaunchAttempts);
    }

    [Fact]
    public async Task Records_a_failure_and_lists_newest_first()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        foreach (var id in new[] { "b-a", "b-b", "b-c" })
        {
            await stack.Ledger.TryClaimAsync(Claim(id), CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        await stack.Ledger.FailAsync("b-b", "ProvisionerFailed", "exit code 2", CancellationToken.None);
        await stack.Ledger.SetDeadlineAsync("b-c", 1_900_000_000, CancellationToken.None);

        var recent = await stack.Ledger.ListRecentAsync(2, CancellationToken.None);
        Assert.Equal(["b-c", "b-b"], recent.Select(r => r.BuildId));
        Assert.Equal(("ProvisionerFailed", "exit code 2"), (recent[1].ErrorName!, recent[1].ErrorCause!));
        Assert.Equal(1_900_000_000, recent[0].DeadlineEpochSeconds);
        Assert.Null(await stack.Ledger.GetAsync("b-missing", CancellationToken.None));
    }
}
