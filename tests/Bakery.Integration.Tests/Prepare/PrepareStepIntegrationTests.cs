using Bakery.Testing.Moto;
using Bakery.Core.Aws;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Steps;
using Bakery.Core.Triggers;
using Bakery.Integration.Tests.Support;
using Bakery.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Integration.Tests.Prepare;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public class PrepareStepIntegrationTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    private PrepareStep Step(BakeryStack stack) =>
        new(stack.Services, stack.Ledger, stack.Configuration, AwsRetry.Immediate(), clock, delay: (_, _) => Task.CompletedTask);

    private static BuildRequest Upload(BakeryStack stack, string key) =>
        new() { Kind = TriggerKind.S3Upload, Bucket = stack.Bucket, Key = key, Sequencer = "00617F08299329D189" };

    private static async Task UploadSeedAsync(BakeryStack stack)
    {
        foreach (var name in new[] { "my_test_build.json", "packer_provision.sh" })
        {
            await stack.PutAsync($"builds/nginx/{name}", await File.ReadAllTextAsync(RepositoryPaths.Combine("examples", "nginx", name)));
        }
    }

    [Fact]
    public async Task The_seed_example_prepares_and_stages_its_script()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        await UploadSeedAsync(stack);

        var state = await Step(stack).RunAsync(Upload(stack, "builds/nginx/my_test_build.json"), CancellationToken.None);

        var build = Assert.Single(state.Builds!);
        Assert.Equal("ami-cd0f5cb6", build.SourceImageId);
        Assert.Equal("m3.large", build.Build!.Builder.InstanceType);
        Assert.Equal([$"staging/{state.BuildId}/files/packer_provision.sh"], await stack.KeysAsync($"staging/{state.BuildId}/"));
        Assert.Equal(
            await File.ReadAllTextAsync(RepositoryPaths.Combine("examples", "nginx", "packer_provision.sh")),
            await stack.TextAsync($"staging/{state.BuildId}/files/packer_provision.sh"));
        Assert.Equal(BuildStatus.Claimed, (await stack.Ledger.GetAsync(state.BuildId, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_retried_prepare_of_the_same_execution_claims_its_build_again_and_another_execution_is_a_duplicate()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        await UploadSeedAsync(stack);
        const string execution = "arn:aws:states:us-east-1:000000000000:execution:bake:first";

        // The first attempt claims and stages, then its answer is lost (a timeout): the workflow calls Prepare again.
        var first = await Step(stack).RunAsync(Upload(stack, "builds/nginx/my_test_build.json"), execution, CancellationToken.None);
        var retried = await Step(stack).RunAsync(Upload(stack, "builds/nginx/my_test_build.json"), execution, CancellationToken.None);
        var other = await Step(stack).RunAsync(Upload(stack, "builds/nginx/my_test_build.json"), execution + "-2", CancellationToken.None);

        Assert.Null(first.Skip);
        Assert.Null(retried.Skip);
        Assert.Equal(first.BuildId, retried.BuildId);
        Assert.Single(retried.Builds!);
        Assert.Equal(("duplicate", first.BuildId), (other.Skip!.Reason, other.BuildId));
        Assert.Equal(BuildStatus.Claimed, (await stack.Ledger.GetAsync(first.BuildId, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_console_start_without_build_id_keeps_its_build_id_across_retries_of_its_execution()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        await UploadSeedAsync(stack);
        var console = new BuildRequest { Kind = TriggerKind.Console, Bucket = stack.Bucket, Key = "builds/nginx/my_test_build.json" };

        var first = await Step(stack).RunAsync(console, "execution-a", CancellationToken.None);
        var retried = await Step(stack).RunAsync(console, "execution-a", CancellationToken.None);
        var another = await Step(stack).RunAsync(console, "execution-b", CancellationToken.None);

        Assert.Equal(first.BuildId, retried.BuildId);
        Assert.Null(retried.Skip);
        Assert.NotEqual(first.BuildId, another.BuildId);
        Assert.Null(another.Skip);
    }

    [Fact]
    public async Task A_duplicate_event_is_skipped_by_the_ledger()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        await UploadSeedAsync(stack);
        var first = await Step(stack).RunAsync(Upload(stack, "builds/nginx/my_test_build.json"), CancellationToken.None);

        var second = await Step(stack).RunAsync(Upload(stack, "builds/nginx/my_test_build.json"), CancellationToken.None);

        Assert.Null(first.Skip);
        Assert.Equal(("duplicate", first.BuildId), (second.Skip!.Reason, second.BuildId));
    }

    [Fact]
    public async Task A_path_leaving_the_bundle_is_refused()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        var seed = await File.ReadAllTextAsync(RepositoryPaths.Combine("examples", "nginx", "my_test_build.json"));
        await stack.PutAsync("builds/app/build.json", seed.Replace("\"packer_provision.sh\"", "\"../nginx/packer_provision.sh\"", StringComparison.Ordinal));
        await UploadSeedAsync(stack);

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Step(stack).RunAsync(Upload(stack, "builds/app/build.json"), CancellationToken.None));

        Assert.Contains("../nginx/packer_provision.sh", error.Message, StringComparison.Ordinal);
        Assert.Empty(await stack.KeysAsync("staging/"));
    }
}
