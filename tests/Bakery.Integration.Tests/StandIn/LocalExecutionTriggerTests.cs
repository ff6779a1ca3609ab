using System.Collections.Concurrent;
using Amazon.Runtime;
using Bakery.Core.Aws.Json;
using Bakery.Local.StandIn;
using Bakery.Testing;
using Bakery.Testing.Moto;

namespace Bakery.Integration.Tests.StandIn;

/// <summary>
/// The stand-in's Step Functions bridge against moto: the state machine is registered under the ARN the stand-in's
/// <c>/bakery/local/config</c> names, and a StartExecution on it runs that execution's input once, while an execution
/// started before the bridge was watching never runs (moto itself runs none).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public sealed class LocalExecutionTriggerTests(MotoFixture moto)
{
    [Fact]
    public async Task A_started_execution_runs_its_input_once_and_one_started_before_it_watched_never_runs()
    {
        await moto.ResetAsync();
        var standIn = new StandInDescription
        {
            AwsEndpoint = moto.Endpoint.ToString(),
            LambdaEndpoint = "http://127.0.0.1:9",
            Bucket = "bakery-execution-trigger-test",
            LedgerTable = "unused",
            InstanceProfile = "unused",
            Region = "us-east-1",
        };
        var ran = new ConcurrentQueue<string>();
        Task<string> Run(string input, CancellationToken token)
        {
            ran.Enqueue(input);
            return Task.FromResult("SUCCEEDED");
        }

        await (await LocalExecutionTrigger.StartAsync(standIn, Run, "{}", interval: TimeSpan.FromMilliseconds(100))).DisposeAsync();
        using var http = new HttpClient();
        var client = new AwsJsonClient(http, LocalExecutionTrigger.StepFunctions, "us-east-1", moto.Endpoint,
            _ => Task.FromResult(new ImmutableCredentials("testing", "testing", null)));
        await StartAsync(client, LocalExecutionTrigger.ArnFor(standIn), """{"resume":"before"}""");

        await using (var trigger = await LocalExecutionTrigger.StartAsync(standIn, Run, "{}", interval: TimeSpan.FromMilliseconds(100)))
        {
            Assert.Equal($"arn:aws:states:us-east-1:123456789012:stateMachine:{standIn.Bucket}", trigger.StateMachineArn);
            await StartAsync(client, trigger.StateMachineArn, """{"resume":"after"}""");
            for (var i = 0; i < 300 && trigger.Started == 0; i++)
            {
                await Task.Delay(100);
            }

            Assert.Equal(1, trigger.Started);
        }

        Assert.Equal(["""{"resume":"after"}"""], ran.ToArray());
    }

    private static Task<ExecutionStarted> StartAsync(AwsJsonClient client, string stateMachineArn, string input) =>
        client.SendAsync("StartExecution", new ExecutionStart { StateMachineArn = stateMachineArn, Input = input },
            TriggerTestJsonContext.Default.ExecutionStart, TriggerTestJsonContext.Default.ExecutionStarted, CancellationToken.None);
}
