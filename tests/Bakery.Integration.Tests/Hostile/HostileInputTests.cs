using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Amazon.S3.Model;
using Bakery.Core.Aws;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Triggers;
using Bakery.Integration.Tests.Support;
using Bakery.Testing.Moto;
using Bakery.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Integration.Tests.Hostile;

/// <summary>
/// resources/hostile: one hostile or broken input per file, at every entry point (execution input, S3 event, the
/// object itself, the build file's paths, names, tags and shell fields), each with the named error Prepare must
/// answer with. Prepare runs for real against moto; nothing may be staged and no instance may exist afterwards.
/// </summary>
/// <remarks>
/// Scenario file: <c>about</c>; the input as <c>trigger</c> (JSON) or <c>triggerText</c> (raw text), default the
/// console input <c>{"template": "s3://${bucket}/${prefix}build.json"}</c>; bundle files as <c>upload</c> (JSON
/// values), <c>uploadText</c> or <c>uploadBase64</c>, optionally grown with <c>padTo</c>; files at whole keys (another
/// build's, the bucket root) as <c>uploadKeys</c>; and
/// <c>expect: {error, message}</c> (the error's short type name and a fragment of its message), or
/// <c>expect: {error: "none", stateBytesBelow, stagedUnder}</c> for input hostile by size only, which Prepare must take
/// with a small state.
/// </remarks>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public sealed class HostileInputTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "resources", "hostile");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void The_corpus_has_at_least_thirty_scenarios_each_naming_its_error()
    {
        var files = Directory.GetFiles(Folder, "*.json");

        Assert.True(files.Length >= 30, $"only {files.Length} scenarios");
        Assert.All(files, file => Assert.False(string.IsNullOrEmpty(Scenario(file)["expect"]?["error"]?.GetValue<string>()), file));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Each_hostile_input_is_refused_with_its_named_error_before_anything_is_launched(string name)
    {
        var scenario = Scenario(Path.Combine(Folder, name + ".json"));
        await using var stack = await BakeryStack.CreateAsync(clock);
        var prefix = $"builds/hostile/{name}/";
        await UploadAsync(stack, scenario, prefix);
        var input = Fill(scenario["triggerText"]?.GetValue<string>()
            ?? scenario["trigger"]?.ToJsonString()
            ?? """{"template":"s3://${bucket}/${prefix}build.json"}""", stack.Bucket, prefix);
        var instancesBefore = await LiveInstancesAsync(stack);

        Bakery.Core.Bake.BakeState? prepared = null;
        var error = await Record.ExceptionAsync(async () =>
        {
            var request = TriggerNormalizer.Normalize(input);
            prepared = await Prepare(stack).RunAsync(request, CancellationToken.None);
        });

        var expected = scenario["expect"]!;
        if (expected["error"]!.GetValue<string>() == "none")
        {
            // Hostile by size, not by content: Prepare takes it, and what it hands the workflow stays small.
            Assert.Null(error);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(prepared!, Bakery.Core.Serialization.BakeryJsonContext.Default.BakeState).Length;
            Assert.True(bytes < expected["stateBytesBelow"]!.GetValue<int>(), $"{bytes} bytes of state");
            Assert.Contains(await stack.KeysAsync("staging/"), key => key.Contains(expected["stagedUnder"]!.GetValue<string>(), StringComparison.Ordinal));
            Assert.Equal(instancesBefore, await LiveInstancesAsync(stack));
            return;
        }

        Assert.NotNull(error);
        var bakeryError = Assert.IsAssignableFrom<BakeryException>(error);
        Assert.Equal(expected["error"]!.GetValue<string>(), bakeryError.GetType().Name);
        Assert.Contains(expected["message"]!.GetValue<string>(), bakeryError.Message, StringComparison.Ordinal);
        Assert.Empty(await stack.KeysAsync("staging/"));
        Assert.Equal(instancesBefore, await LiveInstancesAsync(stack));
    }

    private PrepareStep Prepare(BakeryStack stack) =>
        new(stack.Services, stack.Ledger, stack.Configuration, AwsRetry.Immediate(), clock, delay: (_, _) => Task.CompletedTask);

    private static JsonNode Scenario(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    private static string Fill(string text, string bucket, string prefix) =>
        text.Replace("${bucket}", bucket, StringComparison.Ordinal).Replace("${prefix}", prefix, StringComparison.Ordinal);

    private static async Task UploadAsync(BakeryStack stack, JsonNode scenario, string prefix)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (file, value) in scenario["upload"]?.AsObject() ?? [])
        {
            files[file] = Encoding.UTF8.GetBytes(value is JsonValue text && text.TryGetValue<string>(out var s) ? s : value!.ToJsonString());
        }

        foreach (var (file, value) in scenario["uploadText"]?.AsObject() ?? [])
        {
            files[file] = Encoding.UTF8.GetBytes(value!.GetValue<string>());
        }

        foreach (var (file, value) in scenario["uploadBase64"]?.AsObject() ?? [])
        {
            files[file] = Convert.FromBase64String(value!.GetValue<string>());
        }

        foreach (var (file, value) in scenario["padTo"]?.AsObject() ?? [])
        {
            var padded = new byte[value!.GetValue<int>()];
            Array.Fill(padded, (byte)' ');
            files[file].CopyTo(padded, 0);
            files[file] = padded;
        }

        var keyed = files.ToDictionary(pair => prefix + pair.Key, pair => pair.Value, StringComparer.Ordinal);
        foreach (var (key, value) in scenario["uploadKeys"]?.AsObject() ?? [])
        {
            // Whole keys, for files outside the scenario's own folder (another build's, the bucket's root).
            keyed[key] = Encoding.UTF8.GetBytes(value is JsonValue text && text.TryGetValue<string>(out var s) ? s : value!.ToJsonString());
        }

        foreach (var (key, content) in keyed)
        {
            using var body = new MemoryStream(content);
            await stack.Clients.S3.PutObjectAsync(new PutObjectRequest { BucketName = stack.Bucket, Key = key, InputStream = body });
        }
    }

    private static async Task<int> LiveInstancesAsync(BakeryStack stack)
    {
        var response = await stack.Clients.Ec2("us-east-1").DescribeInstancesAsync(new DescribeInstancesRequest());
        return (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).Count(i => i.State.Name != "terminated");
    }
}
