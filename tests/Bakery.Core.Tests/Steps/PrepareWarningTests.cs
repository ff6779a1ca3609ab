using Bakery.Core.Aws;
using Bakery.Core.Configuration;
using Bakery.Core.Logging;
using Bakery.Core.Steps;
using Bakery.Testing;
using Bakery.Core.Tests.Steps.Fakes;
using Bakery.Core.Triggers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Core.Tests.Steps;

/// <summary>A build started from S3 has no terminal: the build file's warnings go to the function's log and the ledger.</summary>
public sealed class PrepareWarningTests
{
    private const string Bucket = "bakery-templates";

    private readonly FakeAws aws = FakeAws.WithSourceImages();
    private readonly InMemoryLedger ledger = new();
    private readonly StringWriter output = new();

    private PrepareStep Step(ILogger logger) => new(
        aws,
        ledger,
        new BakeryConfiguration { Bucket = Bucket, LedgerTable = "ledger", InstanceProfile = "builder" },
        AwsRetry.Immediate(),
        new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero)),
        logger: logger);

    private static string Resource(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "resources", "prepare", name));

    [Fact]
    public async Task The_seed_builds_ssh_username_warning_is_logged_with_the_build_and_kept_on_its_record()
    {
        // The seed's build file sets ssh_username, which Bakery ignores (SSM, no SSH) and `bakery validate` warns about.
        aws.Store.Put(Bucket, "builds/nginx/my_test_build.json", Resource("nginx_build.json"));
        aws.Store.Put(Bucket, "builds/nginx/packer_provision.sh", "apt update\n");
        using var provider = new JsonLinesLoggerProvider(output, LogLevel.Information, TimeProvider.System);

        var state = await Step(provider.CreateLogger("prepare")).RunAsync(
            new BuildRequest { Kind = TriggerKind.S3Upload, Bucket = Bucket, Key = "builds/nginx/my_test_build.json", Sequencer = "1" }, CancellationToken.None);

        var warning = Assert.Single(LogLines.Parse(output), line => line.Text("level") == "WARN");
        Assert.Contains("ssh_username", warning.Text("message"), StringComparison.Ordinal);
        Assert.StartsWith("builds/nginx/my_test_build.json:", warning.Text("warning"), StringComparison.Ordinal);
        Assert.Equal("s3://bakery-templates/builds/nginx/my_test_build.json", warning.Text("buildFile"));
        Assert.Equal(state.BuildId, warning.Text("buildId"));
        Assert.Equal("Prepare", warning.Text("step"));
        Assert.Equal([warning.Text("warning")!], ledger.Records[state.BuildId].Warnings);
    }

    [Fact]
    public async Task A_build_file_without_warnings_logs_none_and_records_none()
    {
        aws.Store.Put(Bucket, "builds/clean/clean.json", Resource("nginx_build.json").Replace("\"ssh_username\": \"ubuntu\",", "", StringComparison.Ordinal));
        aws.Store.Put(Bucket, "builds/clean/packer_provision.sh", "apt update\n");
        using var provider = new JsonLinesLoggerProvider(output, LogLevel.Information, TimeProvider.System);

        var state = await Step(provider.CreateLogger("prepare")).RunAsync(
            new BuildRequest { Kind = TriggerKind.S3Upload, Bucket = Bucket, Key = "builds/clean/clean.json", Sequencer = "1" }, CancellationToken.None);

        Assert.DoesNotContain(LogLines.Parse(output), line => line.Text("level") == "WARN");
        Assert.Empty(ledger.Records[state.BuildId].Warnings);
    }
}
