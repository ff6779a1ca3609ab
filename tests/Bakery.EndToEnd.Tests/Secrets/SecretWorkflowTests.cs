using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.EndToEnd.Tests.Workflow;
using Bakery.Local.Lambda;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Bakery.Testing.Moto;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Secrets;

/// <summary>
/// A build whose sensitive variable (a fresh random value, given in the uploaded <c>.vars.json</c>) is used in
/// environment_vars, an echoed inline command, tags, the AMI description, the manifest's custom_data, the AMI name and
/// user_data, baked through the real definition, the real bootstrap and moto, with an SSM endpoint that answers as if
/// the instance echoed every script and traced every command (<see cref="EchoingSsmEndpoint"/>). Then every place the
/// bake wrote is searched for the value, as written and in the forms shells, JSON and PowerShell quote it in: it must
/// be where it has to travel or act (the Run Command parameters, the staged rendered plan, the AMI's name, the
/// instance's user data) and nowhere else.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class SecretWorkflowTests(LocalBakery bakery, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Mask = "<sensitive>";
    // Quotes, spaces and brackets: shells, JSON and PowerShell each quote it their own way, and EC2 still takes it in
    // an AMI name.
    private readonly string secret = $"bkry-{Guid.NewGuid():N}'s pa(ss) [w]@rd";
    private readonly string prefix = $"builds/secrets-{Guid.NewGuid().ToString("N")[..8]}/";
    private EchoingSsmEndpoint ssm = null!;
    private LocalLambdaService lambda = null!;
    private StateMachineRunner runner = null!;

    public async Task InitializeAsync()
    {
        ssm = await EchoingSsmEndpoint.StartAsync(new Uri(bakery.AwsEnvironment["AWS_ENDPOINT_URL"]));
        // A Lambda service of its own: its functions reach SSM through the echoing endpoint, and its log folder holds
        // only this test's function logs.
        lambda = await LocalLambdaService.StartAsync(new LocalLambdaOptions
        {
            TemplatePath = RepositoryPaths.Combine("template.yaml"),
            BootstrapPath = await PublishedBootstrap.GetPathAsync(),
            Region = LocalBakery.Region,
            Environment = new Dictionary<string, string>(bakery.AwsEnvironment) { ["AWS_ENDPOINT_URL_SSM"] = ssm.Endpoint.ToString() },
            ParameterValues = new Dictionary<string, string>
            {
                ["TemplatesBucket"] = LocalBakery.Bucket,
                ["LedgerTable"] = LocalBakery.LedgerTable,
                ["BuilderInstanceProfile"] = LocalBakery.InstanceProfile,
                ["FunctionLogGroup"] = "/bakery/local/functions",
            },
            LogDirectory = Path.Combine(Path.GetTempPath(), $"bakery-e2e-secrets-{Guid.NewGuid():N}"),
        });
        runner = new StateMachineRunner(new StateMachineRunnerOptions
        {
            RepositoryRoot = RepositoryPaths.Root,
            LambdaEndpoint = lambda.Endpoint,
            Region = LocalBakery.Region,
            WaitOverride = TimeSpan.FromMilliseconds(5),
            RetryOverride = TimeSpan.FromMilliseconds(50),
        });
    }

    public async Task DisposeAsync()
    {
        await runner.DisposeAsync();
        await lambda.StopAsync();
        Directory.Delete(lambda.LogDirectory, recursive: true);
        await ssm.DisposeAsync();
    }

    [Fact]
    public async Task A_sensitive_value_of_a_successful_bake_is_only_in_the_run_command_and_the_rendered_plan()
    {
        var (result, buildId) = await BakeAsync("secret_build");

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error}: {result.Cause}");
        var search = await SearchEverywhereAsync(result, buildId, expectedCommands: 2, imageWithTheValue: ImageId(result));

        // The mask stands where the value would be, so these places were searched with the value's uses in them.
        var manifest = JsonNode.Parse(await ObjectTextAsync($"{prefix}manifest.json"))!;
        Assert.Equal(Mask, manifest["builds"]![0]!["custom_data"]!["password"]!.GetValue<string>());
        var imageId = ImageId(result)!;
        var tags = await bakery.Ec2.DescribeTagsAsync(new Amazon.EC2.Model.DescribeTagsRequest { Filters = [new Amazon.EC2.Model.Filter("resource-id", [imageId])] });
        Assert.Contains(tags.Tags, tag => tag.Key == "DbPassword" && tag.Value == Mask);
        // Steps act with the real value: the AMI is named with it and the instance ran user_data with it.
        var image = (await bakery.Ec2.DescribeImagesAsync(new Amazon.EC2.Model.DescribeImagesRequest { ImageIds = [imageId] })).Images.Single();
        Assert.StartsWith($"bakery-secrets-{secret}-", image.Name, StringComparison.Ordinal);
        Assert.Equal($"built with {Mask}", image.Description);
        Assert.Equal($"#!/bin/sh\necho \"{secret}\" > /etc/bootstrap.secret\n", Assert.Single(await StandInStores.UserDataAsync(bakery.Ec2, buildId)));
        // The last command's traced output stays in the state: masked where environment_vars put the value.
        Assert.Contains(result.Events, e => e.StateName == StepNames.Provision && ErrorTail(e)?.Contains($"DB_PASSWORD='{Mask}'", StringComparison.Ordinal) == true);
        AssertNoLeaks(search);
    }

    [Fact]
    public async Task A_sensitive_value_echoed_by_a_failing_provisioner_is_masked_in_the_error_the_ledger_and_the_logs()
    {
        var (result, buildId) = await BakeAsync("failing_secret_build");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(nameof(ProvisionerFailed), result.Error);
        // The cause carries the echoed output's tail, masked: the search below then proves it is masked everywhere.
        Assert.Contains("exit code 3", result.Cause, StringComparison.Ordinal);
        Assert.Contains($"about to fail with {Mask}", result.Cause, StringComparison.Ordinal);
        var search = await SearchEverywhereAsync(result, buildId, expectedCommands: 3);
        Assert.Contains(search.Searched, place => place.StartsWith($"ledger item {buildId}", StringComparison.Ordinal));
        AssertNoLeaks(search);
    }

    private async Task<(StateMachineRunResult Result, string BuildId)> BakeAsync(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "resources", "Secrets");
        // The var file beside the build file is the user's own input: it holds the value by design.
        await bakery.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = LocalBakery.Bucket,
            Key = $"{prefix}{name}.vars.json",
            ContentBody = new JsonObject { ["db_password"] = secret }.ToJsonString(),
        });
        await bakery.S3.PutObjectAsync(new PutObjectRequest { BucketName = LocalBakery.Bucket, Key = $"{prefix}setup.sh", FilePath = Path.Combine(folder, "setup.sh") });
        var key = $"{prefix}{name}.json";
        var put = await bakery.S3.PutObjectAsync(new PutObjectRequest { BucketName = LocalBakery.Bucket, Key = key, FilePath = Path.Combine(folder, $"{name}.json") });

        var result = await runner.RunAsync(LocalBakery.ObjectCreated(key, put.VersionId).ToJsonString());
        output.WriteLine($"{result.Status} {result.Error} {result.Cause}");
        var buildId = result.Events.First(e => e.Type == "StateExited" && e.StateName == StepNames.Prepare).Output!.Value.GetProperty("buildId").GetString()!;
        return (result, buildId);
    }

    /// <summary>
    /// Checks that the value is where it must travel (so the search can find it) and searches every other place: the
    /// execution's events with their payloads, output, error and cause, the function logs, the ledger, every object
    /// version in the bucket but the rendered plan and the user's own files, EC2 tags and images, and SSM commands
    /// apart from their parameters.
    /// </summary>
    private async Task<SecretSearch> SearchEverywhereAsync(StateMachineRunResult result, string buildId, int expectedCommands, string? imageWithTheValue = null)
    {
        var search = await SecretSearch.WithQuotedFormsAsync(secret);
        // The secret's quotes make every quoted form differ from it: the search looks for more than the value.
        Assert.True(search.Forms.Count >= 4, string.Join("\n", search.Forms));

        using var ssmClient = StandInClients.Ssm();
        var commands = (await StandInStores.CommandsAsync(ssmClient)).Where(c => c.Details.Contains(buildId, StringComparison.Ordinal)).ToList();
        Assert.Equal(expectedCommands, commands.Count);
        Assert.All(commands, command => Assert.True(search.IsIn(command.Parameters), $"environment_vars: the value is not in command {command.CommandId}"));
        Assert.True(ssm.EchoedInvocations >= expectedCommands, $"only {ssm.EchoedInvocations} command results were echoed");
        foreach (var command in commands)
        {
            search.Search($"SSM command {command.CommandId} (comment, document, status)", command.Details);
        }

        var objects = await StandInStores.ObjectVersionsAsync(bakery.S3, LocalBakery.Bucket);
        var plans = objects.Where(o => o.Key.StartsWith($"staging/{buildId}/rendered/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(plans);
        Assert.All(plans, o => Assert.True(search.IsIn(o.Text), $"the value is not in the rendered plan {o.Place}"));
        // Inline scripts travel to the instance as staged objects (one presigned GET each), not in the command.
        var inline = objects.Where(o => o.Key.StartsWith($"staging/{buildId}/inline/", StringComparison.Ordinal)).ToList();
        Assert.True(inline.Any(o => search.IsIn(o.Text)), "inline script: the value is in no staged inline script");
        var rendered = plans.Concat(inline).ToList();
        var ownFiles = objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal) && !o.Key.EndsWith("manifest.json", StringComparison.Ordinal));
        Assert.Contains(objects, o => o.Key.StartsWith($"staging/{buildId}/", StringComparison.Ordinal) && !rendered.Contains(o));
        foreach (var (_, place, text) in objects.Except(rendered).Except(ownFiles))
        {
            search.Search(place, text);
        }

        foreach (var e in result.Events)
        {
            search.Search($"execution event {e.Type} {e.ParentStateName}{(e.Index is { } i ? $"[{i}]" : "")} {e.StateName}", e.Raw.GetRawText());
        }

        search.Search("execution output", result.Output?.GetRawText());
        search.Search("execution error", result.Error);
        search.Search("execution cause", result.Cause);

        var logs = Directory.EnumerateFiles(lambda.LogDirectory).ToList();
        Assert.Contains(logs, log => File.ReadAllText(log).Contains("START RequestId", StringComparison.Ordinal));
        foreach (var log in logs)
        {
            search.Search($"function log {Path.GetFileName(log)}", await File.ReadAllTextAsync(log));
        }

        foreach (var (place, text) in await StandInStores.LedgerItemsAsync(bakery.DynamoDb, LocalBakery.LedgerTable))
        {
            search.Search(place, text);
        }

        foreach (var (place, text) in await StandInStores.Ec2Async(bakery.Ec2))
        {
            if (imageWithTheValue is not null && place == $"{StandInStores.ImageNamePlace} {imageWithTheValue}")
            {
                Assert.True(search.IsIn(text), $"the AMI name does not carry the value: {text}");
                continue;
            }

            search.Search(place, text);
        }

        return search;
    }

    private void AssertNoLeaks(SecretSearch search)
    {
        output.WriteLine($"Searched {search.Searched.Count} places for {secret}:");
        foreach (var place in search.Searched)
        {
            output.WriteLine($"  {place}");
        }

        Assert.True(search.Leaks.Count == 0, $"The sensitive value leaked to:\n{string.Join("\n", search.Leaks)}");
    }

    private static string? ImageId(StateMachineRunResult result) =>
        result.Output?.GetProperty("results")[0].GetProperty("image").GetProperty("imageId").GetString();

    private static string? ErrorTail(StateMachineEvent e) =>
        e.Output is { ValueKind: JsonValueKind.Object } state
        && state.TryGetProperty("provisioning", out var provisioning)
        && provisioning.TryGetProperty("errorTail", out var tail) ? tail.GetString() : null;

    private async Task<string> ObjectTextAsync(string key)
    {
        using var response = await bakery.S3.GetObjectAsync(LocalBakery.Bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }
}
