using Bakery.BuildFiles;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Bundles;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Steps.Internal;
using Bakery.Core.Steps.Prepare;
using Bakery.Core.Tests.Steps.Fakes;
using Bakery.Core.Triggers;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Core.Tests.Steps.Prepare;

/// <summary>The bundle loader waits for a file that may still be uploading only when the diagnostics' codes say one could help.</summary>
public sealed class BundleLoaderTests
{
    private const string Bucket = "b";
    private const string Key = "builds/web/web.json";

    private readonly FakeAws aws = FakeAws.WithSourceImages();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<TimeSpan> delays = [];

    private BundleLoader Loader() => new(aws.Store, AwsRetry.Immediate(), clock, new PrepareOptions(), (wait, _) =>
    {
        delays.Add(wait);
        clock.Advance(wait);
        return Task.CompletedTask;
    }, new DataSourceLookup(aws, AwsRetry.Immediate(), new BakeryConfiguration { Bucket = Bucket, LedgerTable = "ledger", InstanceProfile = "builder" }));

    private LocatedBuildFile Put(string content)
    {
        aws.Store.Put(Bucket, Key, content);
        var source = new BuildSource { Bucket = Bucket, Key = Key, Prefix = "builds/web/" };
        return new LocatedBuildFile(source, new StoredObject(Key, System.Text.Encoding.UTF8.GetBytes(content)));
    }

    private static BuildRequest Request() => new() { Kind = TriggerKind.S3Upload, Bucket = Bucket, Key = Key, Sequencer = "1" };

    private const string NeedsRegion = """
        { "variables": { "region": null },
          "builders": [{ "type": "amazon-ebs", "region": "{{user `region`}}", "source_ami": "ami-1", "instance_type": "t3.micro", "ami_name": "web" }] }
        """;

    [Fact]
    public async Task A_required_variable_without_a_value_waits_for_the_var_file_still_uploading()
    {
        var file = Put(NeedsRegion);
        aws.Store.OnList = listing =>
        {
            if (listing == 1)
            {
                aws.Store.Put(Bucket, "builds/web/web.vars.json", "{\"region\": \"eu-west-1\"}");
            }
        };

        var loaded = await Loader().LoadAsync(Request(), file, folder: null, CancellationToken.None);

        Assert.Equal("eu-west-1", Assert.Single(loaded.Definition.Builds).Builder.Region);
        Assert.Single(delays);
    }

    [Fact]
    public async Task An_error_that_only_mentions_a_variable_is_final_at_once()
    {
        // "environment variable" is in the message, but no var file can fix a bad name: the load must not wait for one.
        var file = Put("""
            { "builders": [{ "type": "amazon-ebs", "region": "us-east-1", "source_ami": "ami-1", "instance_type": "t3.micro", "ami_name": "web" }],
              "provisioners": [{ "type": "shell", "inline": ["true"], "environment_vars": ["not a name=1"] }] }
            """);

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Loader().LoadAsync(Request(), file, folder: null, CancellationToken.None));

        Assert.Contains("environment variable", error.Message, StringComparison.Ordinal);
        Assert.Empty(delays);
    }

    [Fact]
    public async Task A_missing_var_file_is_waited_for_a_bounded_time_then_refused_with_the_variable()
    {
        var file = Put(NeedsRegion);

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Loader().LoadAsync(Request(), file, folder: null, CancellationToken.None));

        Assert.Contains("required variable \"region\" is not set", error.Message, StringComparison.Ordinal);
        Assert.Equal(new PrepareOptions().MissingFileWait, TimeSpan.FromTicks(delays.Sum(d => d.Ticks)));
    }

    [Theory]
    [InlineData(DiagnosticCode.VariableHasNoValue, true, true)]
    [InlineData(DiagnosticCode.VariableValueInvalid, true, true)]
    [InlineData(DiagnosticCode.VariableHasNoValue, false, false)]
    [InlineData(DiagnosticCode.General, true, false)]
    public void Waiting_is_decided_by_the_code_never_by_the_wording(DiagnosticCode code, bool varFileExpected, bool expected)
    {
        var result = new BuildFileResult
        {
            Errors = [new Diagnostic("web.json", 1, 1, "", "variable variable variable", null) { Code = code }],
        };

        Assert.Equal(expected, BundleLoader.MayStillArrive(result, new S3BundleFiles("builds/web/", []), varFileExpected));
    }

    [Theory]
    [InlineData("builds/web/web.json", "builds/web/web.vars.json", null)]
    [InlineData("builds/web/web.pkr.hcl", "builds/web/web.vars.json", "builds/web/web.pkrvars.hcl")]
    [InlineData("builds/web/web.txt", null, null)]
    public void Variable_files_are_named_after_the_build_file(string key, string? varFile, string? pkrVars)
    {
        Assert.Equal(varFile, BundleLoader.VarFileKeyOf(key));
        Assert.Equal(pkrVars, BundleLoader.PkrVarsKeyOf(key));
    }
}
