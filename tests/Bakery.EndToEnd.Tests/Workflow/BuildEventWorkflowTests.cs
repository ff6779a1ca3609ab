using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using Bakery.Core.Aws.Json;
using Bakery.Local.StepFunctions;
using Bakery.Testing.Moto;

namespace Bakery.EndToEnd.Tests.Workflow;

/// <summary>
/// Build events through the real definition on the stand-in, as a user routes them: a rule on the default bus matching
/// <c>source: bakery</c> sends them to an SQS queue. The queue must receive "Bakery Build Succeeded" for a bake that made
/// an AMI and copied it (detail: build id, AMIs per region, manifest location) and "Bakery Build Failed" for a build file
/// Prepare refused (detail: error and cause), one event each.
/// </summary>
[Trait("Category", "Integration")]
[Collection(LocalBakeryCollection.Name)]
public sealed class BuildEventWorkflowTests(LocalBakery bakery)
{
    [Fact]
    public async Task A_rule_on_the_default_bus_delivers_one_event_with_its_detail_for_a_succeeded_and_for_a_refused_build()
    {
        using var sqs = StandInSqs();
        var queueUrl = (await sqs.CreateQueueAsync($"bakery-events-{Guid.NewGuid():N}"[..30])).QueueUrl;
        var queueArn = (await sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
        var rule = $"bakery-events-{Guid.NewGuid():N}"[..30];
        await StandInJson.CallAsync(AwsJsonService.EventBridge, "PutRule", new JsonObject
        {
            ["Name"] = rule,
            ["EventBusName"] = "default",
            ["State"] = "ENABLED",
            ["EventPattern"] = """{"source":["bakery"],"detail-type":["Bakery Build Succeeded","Bakery Build Failed"]}""",
        });
        await StandInJson.CallAsync(AwsJsonService.EventBridge, "PutTargets", new JsonObject
        {
            ["Rule"] = rule,
            ["EventBusName"] = "default",
            ["Targets"] = new JsonArray(new JsonObject { ["Id"] = "queue", ["Arn"] = queueArn }),
        });

        try
        {
            await bakery.UploadAsync(Resource("events"), "builds/events-ok/");
            var succeeded = await bakery.Runner.RunAsync(
                new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/events-ok/events_build.json" }.ToJsonString());
            Assert.True(succeeded.Status == ExecutionStatus.Succeeded, $"{succeeded.Status}: {succeeded.Error}: {succeeded.Cause}");
            var buildId = succeeded.Events.First(e => e.Type == "StateExited" && e.StateName == "Prepare").Output!.Value.GetProperty("buildId").GetString()!;

            await bakery.UploadAsync(Resource("events-refused"), "builds/events-refused/");
            var refused = await bakery.Runner.RunAsync(
                new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/events-refused/refused_build.json" }.ToJsonString());
            Assert.Equal(ExecutionStatus.Failed, refused.Status);
            Assert.Equal("BuildFileInvalid", refused.Error);

            var events = await ReceiveAsync(sqs, queueUrl, expected: 2);

            var ok = Assert.Single(events, e => e.GetProperty("detail-type").GetString() == "Bakery Build Succeeded");
            Assert.Equal("bakery", ok.GetProperty("source").GetString());
            var detail = ok.GetProperty("detail");
            Assert.Equal(buildId, detail.GetProperty("buildId").GetString());
            Assert.Equal("Succeeded", detail.GetProperty("status").GetString());
            Assert.Equal($"s3://{LocalBakery.Bucket}/builds/events-ok/events_build.json", detail.GetProperty("buildFile").GetString());
            var amis = Assert.Single(detail.GetProperty("builds").EnumerateArray()).GetProperty("amis");
            // Each AMI the event names is the build's image in that region (the copy too).
            foreach (var region in new[] { "us-east-1", "us-west-2" })
            {
                using var ec2 = StandInClients.Ec2(region);
                var images = await ec2.DescribeImagesAsync(new Amazon.EC2.Model.DescribeImagesRequest { ImageIds = [amis.GetProperty(region).GetString()!] });
                var tag = Assert.Single(images.Images).Tags.First(t => t.Key == "bakery:build-id").Value;
                Assert.StartsWith(buildId, tag, StringComparison.Ordinal);
            }

            Assert.NotEqual(amis.GetProperty("us-east-1").GetString(), amis.GetProperty("us-west-2").GetString());
            var manifest = Assert.Single(detail.GetProperty("manifests").EnumerateArray()).GetString();
            Assert.Equal($"s3://{LocalBakery.Bucket}/builds/events-ok/out/manifest.json", manifest);
            Assert.Contains("builds/events-ok/out/manifest.json", await bakery.KeysAsync("builds/events-ok/out/"));
            Assert.False(detail.TryGetProperty("error", out var noError) && noError.ValueKind != JsonValueKind.Null);

            var bad = Assert.Single(events, e => e.GetProperty("detail-type").GetString() == "Bakery Build Failed");
            var failure = bad.GetProperty("detail");
            Assert.Equal("Failed", failure.GetProperty("status").GetString());
            Assert.Equal($"s3://{LocalBakery.Bucket}/builds/events-refused/refused_build.json", failure.GetProperty("buildFile").GetString());
            Assert.Equal("BuildFileInvalid", failure.GetProperty("error").GetString());
            // The execution's cause is the function's error document; the event carries its message.
            var message = refused.Cause!.StartsWith('{') ? JsonDocument.Parse(refused.Cause).RootElement.GetProperty("errorMessage").GetString() : refused.Cause;
            Assert.Equal(message, failure.GetProperty("cause").GetString());
            Assert.Contains("instance_tpye", failure.GetProperty("cause").GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(failure.GetProperty("buildId").GetString()));
            Assert.NotEqual(buildId, failure.GetProperty("buildId").GetString());
        }
        finally
        {
            // The queue would otherwise go on receiving the events of the collection's later tests. (The rule itself stays:
            // DeleteRule answers with no body, which the product's JSON client, made for calls that answer, refuses.)
            await StandInJson.CallAsync(AwsJsonService.EventBridge, "RemoveTargets", new JsonObject
            {
                ["Rule"] = rule,
                ["EventBusName"] = "default",
                ["Ids"] = new JsonArray("queue"),
            });
        }
    }

    /// <summary>Every message the queue holds once <paramref name="expected"/> arrived (or polling gave up), then a poll more.</summary>
    private static async Task<IReadOnlyList<JsonElement>> ReceiveAsync(AmazonSQSClient sqs, string queueUrl, int expected)
    {
        var events = new List<JsonElement>();
        for (var polls = 0; polls < 20 && events.Count <= expected; polls++)
        {
            var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
            var messages = received.Messages ?? [];
            if (messages.Count == 0 && events.Count >= expected)
            {
                break;
            }

            events.AddRange(messages.Select(m => JsonDocument.Parse(m.Body).RootElement.Clone()));
        }

        return events;
    }

    /// <summary>A plain client: it reaches the stand-in through <c>AWS_ENDPOINT_URL</c> like every StandInClients one.</summary>
    private static AmazonSQSClient StandInSqs() => new();

    private static string Resource(string name) => Path.Combine(AppContext.BaseDirectory, "resources", "Workflow", name);
}
