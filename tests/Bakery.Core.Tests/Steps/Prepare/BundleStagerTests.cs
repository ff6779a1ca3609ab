using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Steps.Prepare;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps.Prepare;

public sealed class BundleStagerTests
{
    private const string StagingPrefix = "staging/id/";
    private readonly InMemoryObjectStore store = new();

    private BundleStager Stager(LocatedBuildFile file, LoadedBundle loaded) => new(store, AwsRetry.Immediate(), file, loaded.Bundle, StagingPrefix);

    [Fact]
    public async Task A_file_two_builders_use_is_copied_once_and_listed_for_both()
    {
        var (file, loaded) = TestPlans.Load(store, $$"""
            { "builders": [{{TestPlans.Builders("a", "b")}}],
              "provisioners": [{ "type": "shell", "script": "setup.sh" }] }
            """, ("setup.sh", "echo hi"));
        var stager = Stager(file, loaded);

        var first = await stager.StageAsync(loaded.Definition.Builds[0], loaded.Redactor, CancellationToken.None);
        // Were it copied again, the copy would find its source gone and refuse the build.
        store.Objects.Remove($"{TestPlans.Bucket}/{TestPlans.Prefix}setup.sh");
        var second = await stager.StageAsync(loaded.Definition.Builds[1], loaded.Redactor, CancellationToken.None);

        Assert.Equal(["staging/id/files/setup.sh"], first.Keys);
        Assert.Equal(first.Keys, second.Keys);
        Assert.Equal("echo hi", store.Text(TestPlans.Bucket, "staging/id/files/setup.sh"));
    }

    [Fact]
    public async Task A_folder_is_staged_file_by_file_and_listed_once_by_its_prefix()
    {
        var (file, loaded) = TestPlans.Load(store, $$"""
            { "builders": [{{TestPlans.Builders("a")}}],
              "provisioners": [{ "type": "file", "source": "site/", "destination": "/var/www" }] }
            """, ("site/index.html", "<p>"), ("site/css/a.css", "p{}"));

        var staged = await Stager(file, loaded).StageAsync(loaded.Definition.Builds[0], loaded.Redactor, CancellationToken.None);

        Assert.Equal(["staging/id/files/site/"], staged.Keys);
        Assert.Equal("<p>", store.Text(TestPlans.Bucket, "staging/id/files/site/index.html"));
        Assert.Equal("p{}", store.Text(TestPlans.Bucket, "staging/id/files/site/css/a.css"));
    }

    [Fact]
    public async Task Inline_text_is_staged_and_leaves_only_its_key_in_the_plan()
    {
        var (file, loaded) = TestPlans.Load(store, $$"""
            { "builders": [{{TestPlans.Builders("a")}}],
              "provisioners": [{ "type": "shell", "inline": ["echo one", "echo two"] }] }
            """);

        var staged = await Stager(file, loaded).StageAsync(loaded.Definition.Builds[0], loaded.Redactor, CancellationToken.None);

        var shell = Assert.IsType<ShellProvisioner>(Assert.Single(staged.Real.Provisioners));
        Assert.Empty(shell.Inline);
        Assert.Equal(shell.StagedInlineKey, Assert.Single(staged.Keys));
        Assert.Contains("echo two", store.Text(TestPlans.Bucket, shell.StagedInlineKey!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plan_with_a_sensitive_value_keeps_its_real_rendering_beside_the_masked_one()
    {
        var (file, loaded) = TestPlans.Load(store, $$$"""
            { "variables": { "token": "s3cr3t-value" }, "sensitive-variables": ["token"],
              "builders": [{{{TestPlans.Builders("a")}}}],
              "provisioners": [{ "type": "shell", "inline": ["true"], "environment_vars": ["TOKEN={{user `token`}}"] }] }
            """);

        var staged = await Stager(file, loaded).StageAsync(loaded.Definition.Builds[0], loaded.Redactor, CancellationToken.None);

        var renderedKey = PrepareStep.RenderedPlanKey(StagingPrefix, "a");
        Assert.Contains(renderedKey, staged.Keys);
        Assert.Contains("s3cr3t-value", store.Text(TestPlans.Bucket, renderedKey), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", System.Text.Json.JsonSerializer.Serialize(staged.Masked, Bakery.Core.Steps.Internal.PlanRedaction.PlanTypeInfo), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_missing_from_the_bundle_is_refused_before_anything_is_staged()
    {
        var (file, loaded) = TestPlans.Load(store, $$"""
            { "builders": [{{TestPlans.Builders("a")}}],
              "provisioners": [{ "type": "shell", "script": "setup.sh" }] }
            """, ("setup.sh", "echo"));
        store.Objects.Remove($"{TestPlans.Bucket}/{TestPlans.Prefix}setup.sh");
        var stale = new Bakery.Core.Bundles.S3BundleFiles(TestPlans.Prefix, [TestPlans.Key]);
        var stager = new BundleStager(store, AwsRetry.Immediate(), file, stale, StagingPrefix);
        var count = store.Objects.Count;

        var error = Assert.Throws<BuildFileInvalid>(() => stager.EnsureFilesExist(loaded.Definition.Builds[0]));

        Assert.Equal("s3://b/builds/web/web.json: 'setup.sh' is not in the bundle (s3://b/builds/web/setup.sh).", error.Message);
        Assert.Equal(count, store.Objects.Count);
    }

    [Fact]
    public async Task Removing_a_builds_staging_prefix_leaves_other_builds_alone()
    {
        store.Put("b", "staging/id/files/a", "1");
        store.Put("b", "staging/id/inline/x/0", "2");
        store.Put("b", "staging/other/files/a", "3");

        await BundleStager.RemoveAllAsync(store, AwsRetry.Immediate(), "b", "staging/id/", CancellationToken.None);

        Assert.Equal(["b/staging/other/files/a"], store.Objects.Keys);
    }
}
