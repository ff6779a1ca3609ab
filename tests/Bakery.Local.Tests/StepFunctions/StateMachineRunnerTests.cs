using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.Local.Tests.StepFunctions;

/// <summary>
/// The local Step Functions runner (infra/local/stepfunctions/run.mjs --serve, one Node process per
/// <see cref="StateMachineRunner"/>) on definitions without Task states, so no Lambda service is needed. Each test
/// writes a definition no run has seen (a fresh Comment), because the runner remembers which filled texts asl-validator
/// has passed and validates only new ones.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class StateMachineRunnerTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("bakery-runner-test-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public async Task A_valid_definition_runs_again_after_its_text_was_validated_once()
    {
        var started = DateTime.UtcNow.AddSeconds(-1);
        await using var runner = Runner(Definition(next: "Wait"));

        var first = await runner.RunAsync("""{"name":"first","seconds":0}""");
        var stamps = ValidationStamps().Where(stamp => File.GetLastWriteTimeUtc(stamp) >= started).ToList();
        var second = await runner.RunAsync("""{"name":"second","seconds":0}""");

        Assert.Equal(ExecutionStatus.Succeeded, first.Status);
        Assert.Equal(ExecutionStatus.Succeeded, second.Status);
        Assert.Equal("hello second", second.Output!.Value.GetProperty("greeting").GetString());
        Assert.Contains(second.Events, e => e.Type == "StateExited" && e.StateName == "Greet");
        Assert.NotEmpty(stamps);
    }

    [Fact]
    public async Task An_invalid_definition_is_rejected_on_every_run_never_remembered_as_valid()
    {
        await using var runner = Runner(Definition(next: "NoSuchState"));

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync("{}"));
            Assert.Contains("refused the execution", error.Message, StringComparison.Ordinal);
            Assert.Contains("NoSuchState", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Executions_run_side_by_side_in_one_process_each_with_its_own_events_output_and_failure()
    {
        await using var runner = Runner(Definition(next: "Wait"));
        var pids = new HashSet<int?>();
        void Seen(StateMachineEvent _)
        {
            lock (pids)
            {
                pids.Add(runner.ProcessId);
            }
        }

        var runs = await Task.WhenAll(
            runner.RunAsync("""{"name":"a","seconds":4}""", Seen),
            runner.RunAsync("""{"name":"b","seconds":4}""", Seen),
            runner.RunAsync("""{"name":"c","seconds":4,"fail":true}""", Seen),
            runner.RunAsync("""{"name":"d","seconds":30}""", Seen));

        Assert.Equal(["hello a", "hello b"], runs[..2].Select(r => r.Output!.Value.GetProperty("greeting").GetString()));
        Assert.All(runs[..2], run => Assert.Equal(ExecutionStatus.Succeeded, run.Status));
        Assert.All(runs[..2], run => Assert.Equal(["Greet", "Wait", "Fail?", "Done"], run.Events.Where(e => e.Type == "StateEntered").Select(e => e.StateName)));
        Assert.Equal((ExecutionStatus.Failed, "Asked", "to fail"), (runs[2].Status, runs[2].Error, runs[2].Cause));
        Assert.Equal((ExecutionStatus.TimedOut, "States.Timeout"), (runs[3].Status, runs[3].Error));
        // Side by side: every execution started before any ended (the 4 s leave room for the four starts on a loaded machine).
        var lastStart = runs.Max(run => run.Events.First(e => e.Type == "ExecutionStarted").Timestamp);
        Assert.All(runs, run => Assert.True(run.Events[^1].Timestamp >= lastStart));
        Assert.Single(pids);
    }

    [Fact]
    public async Task Cancelling_one_execution_aborts_it_and_leaves_the_others_running()
    {
        await using var runner = Runner(Definition(next: "Wait"));
        using var cancel = new CancellationTokenSource();
        var waiting = new TaskCompletionSource();

        var aborted = runner.RunAsync("""{"name":"a","seconds":100}""", e => SetWhen(e, "Wait", waiting), cancel.Token);
        var other = runner.RunAsync("""{"name":"b","seconds":2}""");
        await waiting.Task.WaitAsync(Patience);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => aborted).WaitAsync(Patience);
        var finished = await other.WaitAsync(Patience);
        Assert.Equal(ExecutionStatus.Succeeded, finished.Status);
        Assert.Equal(ExecutionStatus.Succeeded, (await runner.RunAsync("""{"name":"c","seconds":0}""")).Status);
    }

    [Theory]
    [InlineData("its token is cancelled")]
    [InlineData("its caller stops reading its events")]
    public async Task An_execution_aborted_when_closes_its_lambda_invocation_and_starts_no_other_as_a_killed_runner_did(string when)
    {
        // A Lambda endpoint that counts invocations and answers none: the one in flight when the execution is aborted
        // must be cut off, and neither its Retry nor its Catch path may invoke anything afterwards.
        using var lambda = new TcpListener(IPAddress.Loopback, 0);
        lambda.Start();
        var invocations = Channel.CreateUnbounded<TcpClient>();
        using var accepting = new CancellationTokenSource();
        var accept = Task.Run(async () =>
        {
            while (!accepting.IsCancellationRequested)
            {
                _ = KeepIfInvocationAsync(await lambda.AcceptTcpClientAsync(accepting.Token), invocations.Writer, accepting.Token);
            }
        });
        var path = Path.Combine(folder.FullName, "task.asl.json");
        File.WriteAllText(path, $$"""
            {
              "Comment": "{{Guid.NewGuid():N}}",
              "StartAt": "Invoke",
              "States": {
                "Invoke": {
                  "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:Held",
                  "Retry": [ { "ErrorEquals": [ "States.ALL" ], "MaxAttempts": 3 } ],
                  "Catch": [ { "ErrorEquals": [ "States.ALL" ], "Next": "CleanUp" } ],
                  "End": true
                },
                "CleanUp": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:CleanUp", "End": true }
              }
            }
            """);
        await using var runner = new StateMachineRunner(new StateMachineRunnerOptions
        {
            RepositoryRoot = RepositoryPaths.Root,
            LambdaEndpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)lambda.LocalEndpoint).Port}"),
            DefinitionPath = path,
            RetryOverride = TimeSpan.Zero,
        });
        var invoked = invocations.Reader.ReadAsync().AsTask();

        TcpClient held;
        if (when == "its token is cancelled")
        {
            using var cancel = new CancellationTokenSource();
            var run = runner.RunAsync("{}", cancellationToken: cancel.Token);
            if (await Task.WhenAny(invoked, run).WaitAsync(Patience) == run)
            {
                Assert.Fail($"The execution ended before it invoked anything: {await CompletionOf(run)}");
            }

            held = await invoked;
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run).WaitAsync(Patience);
        }
        else
        {
            var events = runner.StreamAsync("{}").GetAsyncEnumerator();
            Assert.True(await events.MoveNextAsync().AsTask().WaitAsync(Patience));
            held = await invoked.WaitAsync(Patience);
            await events.DisposeAsync();
        }

        using (held)
        {
            var stream = held.GetStream();
            var buffer = new byte[64 * 1024];
            try
            {
                while (await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience) > 0)
                {
                    // The rest of the request; then the end of the connection.
                }
            }
            catch (TimeoutException)
            {
                Assert.Fail("The aborted execution's invocation is still open");
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(invocations.Reader.TryRead(out _), "an aborted execution invoked a function again");
        await accepting.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accept);
    }

    [Fact]
    public async Task A_runner_that_dies_fails_its_executions_clearly_and_the_next_execution_starts_a_new_one()
    {
        await using var runner = Runner(Definition(next: "Wait"));
        var waiting = new TaskCompletionSource();
        var first = runner.RunAsync("""{"name":"a","seconds":100}""", e => SetWhen(e, "Wait", waiting));
        var second = runner.RunAsync("""{"name":"b","seconds":100}""");
        await waiting.Task.WaitAsync(Patience);
        var pid = runner.ProcessId!.Value;

        using (var process = Process.GetProcessById(pid))
        {
            process.Kill();
        }

        foreach (var run in new[] { first, second })
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run).WaitAsync(Patience);
            Assert.Contains("the local Step Functions runner exited with code", error.Message, StringComparison.Ordinal);
        }

        var next = await runner.RunAsync("""{"name":"c","seconds":0}""");
        Assert.Equal(ExecutionStatus.Succeeded, next.Status);
        Assert.NotEqual(pid, runner.ProcessId);
    }

    [Fact]
    public async Task Disposing_the_runner_ends_its_process_and_refuses_later_executions()
    {
        var runner = Runner(Definition(next: "Wait"));
        Assert.Null(runner.ProcessId);
        Assert.Equal(ExecutionStatus.Succeeded, (await runner.RunAsync("""{"name":"a","seconds":0}""")).Status);
        using var process = Process.GetProcessById(runner.ProcessId!.Value);

        await runner.DisposeAsync();

        Assert.True(process.HasExited);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => runner.RunAsync("{}"));
    }

    /// <summary>
    /// Hands on a connection once its request line shows a Lambda Invoke, and closes any other: an invocation is a
    /// request, not a connection (the listener's port may also have been another test's server's a moment before, and a
    /// client of that server can still reach for it).
    /// </summary>
    private async Task KeepIfInvocationAsync(TcpClient client, ChannelWriter<TcpClient> invocations, CancellationToken cancellationToken)
    {
        try
        {
            var requestLine = await ReadLineAsync(client.GetStream(), cancellationToken);
            if (requestLine.StartsWith("POST /2015-03-31/functions/", StringComparison.Ordinal))
            {
                await invocations.WriteAsync(client, cancellationToken);
                return;
            }

            output.WriteLine($"closed a connection that is no invocation: {requestLine}");
        }
        catch (Exception error) when (error is OperationCanceledException or IOException)
        {
        }

        client.Dispose();
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        var next = new byte[1];
        while (line.Count < 8_192 && await stream.ReadAsync(next, cancellationToken) == 1 && next[0] != (byte)'\n')
        {
            line.Add(next[0]);
        }

        return Encoding.ASCII.GetString([.. line]).TrimEnd('\r');
    }

    private static async Task<string> CompletionOf(Task<StateMachineRunResult> run)
    {
        try
        {
            var result = await run;
            return $"{result.Status} {result.Error}: {result.Cause}";
        }
        catch (Exception error)
        {
            return error.ToString();
        }
    }

    private static void SetWhen(StateMachineEvent e, string state, TaskCompletionSource reached)
    {
        if (e.Type == "StateEntered" && e.StateName == state)
        {
            reached.TrySetResult();
        }
    }

    private StateMachineRunner Runner(string definition)
    {
        var path = Path.Combine(folder.FullName, "definition.asl.json");
        File.WriteAllText(path, definition);
        return new StateMachineRunner(new StateMachineRunnerOptions
        {
            RepositoryRoot = RepositoryPaths.Root,
            LambdaEndpoint = new Uri("http://127.0.0.1:1"),
            DefinitionPath = path,
            WaitOverride = null,
        });
    }

    // Greet, wait $.seconds, fail if $.fail is true (next: anything else makes the text invalid). The whole execution times out after 10 s.
    private static string Definition(string next) => $$"""
        {
          "Comment": "{{Guid.NewGuid():N}}",
          "TimeoutSeconds": 10,
          "StartAt": "Greet",
          "States": {
            "Greet": { "Type": "Pass", "Parameters": { "greeting.$": "States.Format('hello {}', $.name)", "input.$": "$" }, "Next": "{{next}}" },
            "Wait": { "Type": "Wait", "SecondsPath": "$.input.seconds", "Next": "Fail?" },
            "Fail?": {
              "Type": "Choice",
              "Choices": [ { "And": [ { "Variable": "$.input.fail", "IsPresent": true }, { "Variable": "$.input.fail", "BooleanEquals": true } ], "Next": "Failed" } ],
              "Default": "Done"
            },
            "Failed": { "Type": "Fail", "Error": "Asked", "Cause": "to fail" },
            "Done": { "Type": "Succeed" }
          }
        }
        """;

    private static IEnumerable<string> ValidationStamps()
    {
        var directory = Path.Combine(new LocalStepFunctionsToolchain(RepositoryPaths.Root).Directory, "node_modules", ".bakery-validated");
        return Directory.Exists(directory) ? Directory.EnumerateFiles(directory) : [];
    }
}
