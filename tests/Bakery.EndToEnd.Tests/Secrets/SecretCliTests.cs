using System.Text.Json.Nodes;
using Bakery.EndToEnd.Tests.Cli;
using Bakery.Testing;
using Bakery.Testing.Cli;
using Bakery.Testing.Moto;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Secrets;

/// <summary>
/// <c>bakery build -var-file</c> in local mode with a sensitive value (fresh and random), the instance answering
/// through <see cref="EchoingSsmEndpoint"/>: what the user sees (stdout, stderr, the manifest written beside them), the
/// CLI's function logs and what the run left in moto must not hold the value; the Run Command it sent must.
/// </summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class SecretCliTests(MotoFixture moto, ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Mask = "<sensitive>";
    private const string Bucket = "bakery-local";
    // Quotes, spaces and brackets: shells, JSON and PowerShell each quote it their own way; EC2 takes it in an AMI name.
    private readonly string secret = $"bkry-{Guid.NewGuid():N}'s pa(ss) [w]@rd";
    private readonly string workDirectory = Directory.CreateTempSubdirectory("bakery-secrets-cli-").FullName;
    private EchoingSsmEndpoint ssm = null!;

    public async Task InitializeAsync()
    {
        ssm = await EchoingSsmEndpoint.StartAsync(moto.Endpoint);
        await PublishedBootstrap.GetPathAsync();
    }

    public async Task DisposeAsync() => await ssm.DisposeAsync();

    public void Dispose() => Directory.Delete(workDirectory, recursive: true);

    [Theory]
    [InlineData("secret_build", 0)]
    [InlineData("failing_secret_build", 1)]
    public async Task Bakery_build_never_prints_or_leaves_a_sensitive_value_it_was_given(string build, int exitCode)
    {
        foreach (var file in new[] { $"{build}.json", "setup.sh" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "resources", "Secrets", file), Path.Combine(workDirectory, file));
        }

        var varFile = Path.Combine(workDirectory, "secret.vars.json");
        await File.WriteAllTextAsync(varFile, new JsonObject { ["db_password"] = secret }.ToJsonString());
        using var ssmClient = StandInClients.Ssm();
        var commandsBefore = (await StandInStores.CommandsAsync(ssmClient)).Select(c => c.CommandId).ToHashSet(StringComparer.Ordinal);
        var logsFolder = RepositoryPaths.Combine(".bakery", "logs");
        var logsBefore = Directory.Exists(logsFolder) ? Directory.GetDirectories(logsFolder).ToHashSet(StringComparer.Ordinal) : [];

        using var cli = BakeryCliProcess.Start(workDirectory, new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_SSM"] = ssm.Endpoint.ToString() },
            "build", "-var-file", varFile, Path.Combine(workDirectory, $"{build}.json"));
        var result = await cli.WaitForExitAsync();
        output.WriteLine(result.ToString());

        Assert.Equal(exitCode, result.ExitCode);
        var search = await SecretSearch.WithQuotedFormsAsync(secret);
        var commands = (await StandInStores.CommandsAsync(ssmClient)).Where(c => !commandsBefore.Contains(c.CommandId)).ToList();
        // The provisioners' commands carry the value in environment_vars; the reachability probe has nothing to carry.
        var provisioning = commands.Where(c => c.Details.Contains("provisioners[", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(provisioning);
        Assert.All(provisioning, command => Assert.True(search.IsIn(command.Parameters), $"the value is not in command {command.CommandId}"));
        Assert.True(ssm.EchoedInvocations >= provisioning.Count, $"only {ssm.EchoedInvocations} command results were echoed");
        // The echoed output reached the user, masked: a failure prints its tail, a success its manifest's custom_data.
        var shown = exitCode == 0
            ? JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(workDirectory, "manifest.json")))!["builds"]![0]!["custom_data"]!["password"]!.GetValue<string>()
            : result.Stdout;
        Assert.Contains(exitCode == 0 ? Mask : $"about to fail with {Mask}", shown, StringComparison.Ordinal);

        search.Search("CLI standard output", result.Stdout);
        search.Search("CLI standard error", result.Stderr);
        foreach (var file in Directory.EnumerateFiles(workDirectory, "*", SearchOption.AllDirectories).Where(f => f != varFile))
        {
            search.Search($"work folder file {Path.GetRelativePath(workDirectory, file)}", await File.ReadAllTextAsync(file));
        }

        var newLogs = Directory.GetDirectories(logsFolder).Where(folder => !logsBefore.Contains(folder)).ToList();
        Assert.NotEmpty(newLogs);
        foreach (var log in newLogs.SelectMany(folder => Directory.EnumerateFiles(folder)))
        {
            search.Search($"function log {Path.GetRelativePath(logsFolder, log)}", await File.ReadAllTextAsync(log));
        }

        foreach (var command in commands)
        {
            search.Search($"SSM command {command.CommandId} (comment, document, status)", command.Details);
        }

        using var s3 = StandInClients.S3();
        foreach (var (key, place, text) in await StandInStores.ObjectVersionsAsync(s3, Bucket))
        {
            // The uploaded var file is the user's own input; the rendered plan is what the steps read, and a staged inline
            // script is what the instance fetches (both under staging/, gone at Teardown).
            if (!key.EndsWith(".vars.json", StringComparison.Ordinal) && !key.Contains("/rendered/", StringComparison.Ordinal)
                && !key.Contains("/inline/", StringComparison.Ordinal))
            {
                search.Search(place, text);
            }
        }

        using var dynamoDb = StandInClients.DynamoDb();
        foreach (var (place, text) in await StandInStores.LedgerItemsAsync(dynamoDb, $"{Bucket}-ledger"))
        {
            search.Search(place, text);
        }

        using var ec2 = StandInClients.Ec2();
        foreach (var (place, text) in await StandInStores.Ec2Async(ec2))
        {
            // The AMI is named with the real value (ami_name uses it): the one place in EC2 it must be.
            if (place.StartsWith(StandInStores.ImageNamePlace, StringComparison.Ordinal) && text.StartsWith($"bakery-secrets-{secret}-", StringComparison.Ordinal))
            {
                Assert.Equal(0, exitCode);
                continue;
            }

            search.Search(place, text);
        }

        output.WriteLine($"Searched {search.Searched.Count} places for {secret}:");
        foreach (var place in search.Searched)
        {
            output.WriteLine($"  {place}");
        }

        Assert.True(search.Leaks.Count == 0, $"The sensitive value leaked to:\n{string.Join("\n", search.Leaks)}");
    }
}
