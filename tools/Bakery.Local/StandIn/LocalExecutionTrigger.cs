using Amazon.Runtime;
using Bakery.Core.Aws.Json;

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

    private readonly Func<string, CancellationToken, Task<string>> _run;
    private readonly Action<string> _log;
    private readonly TimeSpan _interval;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly AwsJsonClient _client;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<Task> _executions = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private int _counter;

    private LocalExecutionTrigger(StandInDescription standIn, Func<string, CancellationToken, Task<string>> run, Action<string> log, TimeSpan interval)
    {
        _run = run;
        _log = log;
        _interval = interval;
        _client = new AwsJsonClient(_http, StepFunctions, standIn.Region, new Uri(standIn.AwsEndpoint),
            _ => Task.FromResult(new ImmutableCredentials("testing", "testing", null)));
        StateMachineArn = ArnFor(standIn);
    }

    /// <summary>The state machine's ARN, as the stand-in's <c>/bakery/local/config</c> names it.</summary>
    public string StateMachineArn { get; }

    /// <summary>How many executions this trigger ran.</summary>
    public int Started => Volatile.Read(ref _counter);

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
        var trigger = new LocalExecutionTrigger(standIn, run, log ?? (_ => { }), interval ?? TimeSpan.FromMilliseconds(500));
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

        foreach (var arn in await trigger.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            trigger._seen.Add(arn);
        }

        trigger._loop = Task.Run(() => trigger.PollAsync(trigger._stopping.Token), CancellationToken.None);
        return trigger;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Task[] running;
        lock (_executions)
        {
            running = [.. _executions];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task PollAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, stopping).ConfigureAwait(false);
                foreach (var arn in await ListAsync(stopping).ConfigureAwait(false))
                {
                    if (_seen.Add(arn))
                    {
                        var described = await _client.SendAsync("DescribeExecution", new DescribeExecutionRequest { ExecutionArn = arn },
                            StepFunctionsJsonContext.Default.DescribeExecutionRequest, StepFunctionsJsonContext.Default.DescribeExecutionResponse,
                            stopping).ConfigureAwait(false);
                        Start(arn, described.Input ?? "{}", stopping);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (AmazonServiceException error)
            {
                _log($"execution trigger: listing {StateMachineArn}'s executions failed: {error.Message}");
            }
            catch (HttpRequestException error)
            {
                _log($"execution trigger: moto unreachable: {error.Message}");
            }
        }
    }

    private void Start(string arn, string input, CancellationToken stopping)
    {
        Interlocked.Increment(ref _counter);
        _log($"execution trigger: StartExecution {arn} runs the definition with {input}");
        var execution = Task.Run(async () =>
        {
            try
            {
                var ended = await _run(input, stopping).ConfigureAwait(false);
                _log($"execution trigger: {arn} ended {ended}");
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                _log($"execution trigger: {arn} stopped (stand-in going down)");
            }
            catch (InvalidOperationException error)
            {
                _log($"execution trigger: {arn} could not run: {error.Message}");
            }
        }, CancellationToken.None);
        lock (_executions)
        {
            _executions.RemoveAll(t => t.IsCompleted);
            _executions.Add(execution);
        }
    }

    private async Task<List<string>> ListAsync(CancellationToken cancellationToken)
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
