using Amazon.Runtime;
using Bakery.Core.Aws.Json;
using Bakery.Local.StandIn.Internal;

namespace Bakery.Local.StandIn;

/// <summary>
/// The stand-in's Step Functions API: <c>StartExecution</c> on the stand-in's state machine runs the definition with that
/// input, as on AWS. moto records a state machine and its executions but runs nothing (its default), so this registers
/// the state machine in moto (the name of the stand-in's bucket, the real definition) and, while it runs, polls
/// ListExecutions and runs each new execution's input (DescribeExecution) with the stand-in's runner. Executions that
/// were there when it started never run. moto keeps showing them <c>RUNNING</c>: the ledger is where a build's end is read.
/// </summary>
public sealed class LocalExecutionTrigger : IAsyncDisposable
{
    /// <summary>The role moto records for the state machine (moto runs nothing as it).</summary>
    private const string RoleArn = $"arn:aws:iam::{ObjectCreatedEvents.Account}:role/bakery-local-state-machine";

    /// <summary>Step Functions over the JSON client: JSON 1.0, target prefix <c>AWSStepFunctions</c>, signed as <c>states</c>.</summary>
    public static readonly AwsJsonService StepFunctions = new("Step Functions", "states", "AWSStepFunctions", "states", "SFN")
    {
        ContentType = "application/x-amz-json-1.0",
    };

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly AwsJsonClient _client;
    private PollingTrigger<string>? _polling;

    private LocalExecutionTrigger(StandInDescription standIn)
    {
        _client = new AwsJsonClient(_http, StepFunctions, standIn.Region, new Uri(standIn.AwsEndpoint),
            _ => Task.FromResult(new ImmutableCredentials("testing", "testing", null)));
        StateMachineArn = ArnFor(standIn);
    }

    /// <summary>The state machine's ARN, as the stand-in's <c>/bakery/local/config</c> names it.</summary>
    public string StateMachineArn { get; }

    /// <summary>How many executions this trigger ran.</summary>
    public int Started => _polling?.Started ?? 0;

    /// <summary>The ARN moto gives a state machine named after the stand-in's bucket (moto's one account).</summary>
    public static string ArnFor(StandInDescription standIn)
    {
        ArgumentNullException.ThrowIfNull(standIn);
        return $"arn:aws:states:{standIn.Region}:{ObjectCreatedEvents.Account}:stateMachine:{standIn.Bucket}";
    }

    /// <summary>
    /// Registers the state machine in <paramref name="standIn"/>'s moto and starts watching its executions;
    /// <paramref name="run"/> runs one input with the definition and says how it ended (the stand-in's runner).
    /// </summary>
    public static async Task<LocalExecutionTrigger> StartAsync(
        StandInDescription standIn, Func<string, CancellationToken, Task<string>> run, string definition, Action<string>? log = null, TimeSpan? interval = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(standIn);
        ArgumentNullException.ThrowIfNull(run);
        var trigger = new LocalExecutionTrigger(standIn);
        try
        {
            var created = await trigger._client.SendAsync("CreateStateMachine",
                new CreateStateMachineRequest { Name = standIn.Bucket, Definition = definition, RoleArn = RoleArn },
                StepFunctionsJsonContext.Default.CreateStateMachineRequest, StepFunctionsJsonContext.Default.CreateStateMachineResponse,
                cancellationToken).ConfigureAwait(false);
            if (created.StateMachineArn != trigger.StateMachineArn)
            {
                throw new InvalidOperationException($"moto named the stand-in's state machine {created.StateMachineArn}, not {trigger.StateMachineArn}.");
            }
        }
        catch (AmazonServiceException error) when (error.ErrorCode == "StateMachineAlreadyExists")
        {
            // A moto kept from an earlier start: the same name is the same state machine.
        }

        var options = new PollingTriggerOptions
        {
            Listing = $"listing {trigger.StateMachineArn}'s executions",
            Endpoint = "moto",
            Log = log ?? (_ => { }),
            Interval = interval ?? TimeSpan.FromMilliseconds(500),
        };
        trigger._polling = await PollingTrigger<string>.StartAsync(
            "execution trigger", trigger.ListAsync, arn => arn, (arn, _, stopping) => trigger.PrepareAsync(arn, run, stopping), options,
            cancellationToken).ConfigureAwait(false);
        return trigger;
    }

    public async ValueTask DisposeAsync()
    {
        if (_polling is not null)
        {
            await _polling.DisposeAsync().ConfigureAwait(false);
        }

        _http.Dispose();
    }

    private async Task<TriggeredRun?> PrepareAsync(string arn, Func<string, CancellationToken, Task<string>> run, CancellationToken stopping)
    {
        var described = await _client.SendAsync("DescribeExecution", new DescribeExecutionRequest { ExecutionArn = arn },
            StepFunctionsJsonContext.Default.DescribeExecutionRequest, StepFunctionsJsonContext.Default.DescribeExecutionResponse,
            stopping).ConfigureAwait(false);
        var input = described.Input ?? "{}";
        return new TriggeredRun(arn, $"StartExecution {arn} runs the definition with {input}", cancellationToken => run(input, cancellationToken));
    }

    private async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        var arns = new List<string>();
        string? next = null;
        do
        {
            var page = await _client.SendAsync("ListExecutions", new ListExecutionsRequest { StateMachineArn = StateMachineArn, NextToken = next },
                StepFunctionsJsonContext.Default.ListExecutionsRequest, StepFunctionsJsonContext.Default.ListExecutionsResponse,
                cancellationToken).ConfigureAwait(false);
            arns.AddRange((page.Executions ?? []).Select(e => e.ExecutionArn));
            next = page.NextToken;
        }
        while (!string.IsNullOrEmpty(next));
        return arns;
    }
}
