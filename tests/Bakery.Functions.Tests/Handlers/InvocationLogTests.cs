using Amazon.Runtime;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Logging;
using Bakery.Functions.Handlers;
using Bakery.Functions.Runtime;
using Bakery.Functions.Tests.Runtime;
using Bakery.Testing;
using Microsoft.Extensions.Logging;

namespace Bakery.Functions.Tests.Handlers;

/// <summary>
/// The host's log through the real runtime loop (a fake Runtime API on loopback): every line an invocation logs, the
/// host's and Bakery.Core's alike, carries that invocation's request id, build and step, and nothing of the one before.
/// </summary>
public sealed class InvocationLogTests : IAsyncLifetime
{
    private readonly StringWriter log = new();
    private readonly JsonLinesLoggerProvider logging;
    private readonly CancellationTokenSource stopping = new();
    private FakeRuntimeApi api = null!;
    private RuntimeApiClient client = null!;

    public InvocationLogTests() => logging = new JsonLinesLoggerProvider(log, LogLevel.Information, TimeProvider.System);

    public async Task InitializeAsync()
    {
        api = await FakeRuntimeApi.StartAsync();
        client = new RuntimeApiClient(api.Address);
    }

    public async Task DisposeAsync()
    {
        await stopping.CancelAsync();
        client.Dispose();
        await api.DisposeAsync();
        stopping.Dispose();
        logging.Dispose();
    }

    [Fact]
    public async Task Every_line_of_an_invocation_carries_its_request_build_and_step_and_a_failure_is_an_Error()
    {
        // The step's AWS call is throttled once (a retry Warning from Bakery.Core), then the second build's call is refused.
        var retry = new AwsRetry(new AwsRetryOptions { MaxAttempts = 3 }, (_, _) => Task.CompletedTask, () => 0.5, logging.CreateLogger(typeof(AwsRetry).FullName!));
        var step = new ThrottledOnceStep(retry);
        var handler = StepHandler.For(step, new NoProgress(), TimeProvider.System);
        api.Enqueue(FakeEvent.Json("req-1", """{"buildId":"b-1"}"""));
        api.Enqueue(FakeEvent.Json("req-2", """{"buildId":"b-2"}"""));
        var loop = Task.Run(() => new RuntimeLoop(client, logging.CreateLogger("Bakery.Functions"), TimeProvider.System).RunAsync(() => handler, stopping.Token));

        Assert.Equal("response", (await api.NextOutcomeAsync()).Kind);
        Assert.Equal("AmazonServiceException", (await api.NextOutcomeAsync()).ErrorType);
        await stopping.CancelAsync();
        Assert.Equal(0, await loop);

        var lines = LogLines.Parse(log);
        var first = lines.Where(line => line.Text("requestId") == "req-1").ToList();
        var second = lines.Where(line => line.Text("requestId") == "req-2").ToList();
        Assert.Equal(lines.Count, first.Count + second.Count);
        Assert.Equal(["INFO", "WARN", "INFO"], first.Select(line => line.Text("level")));
        Assert.All(first, line => Assert.Equal(("b-1", "ThrottledOnce"), (line.Text("buildId"), line.Text("step"))));
        Assert.Equal("EC2 DescribeImages", first[1].Text("operation"));

        // The step's lines carry the build; the runtime's report after the handler returned carries the request only.
        Assert.Equal(["INFO", "ERROR", "ERROR"], second.Select(line => line.Text("level")));
        Assert.All(second.Take(2), line => Assert.Equal(("b-2", "ThrottledOnce"), (line.Text("buildId"), line.Text("step"))));
        Assert.Equal("ThrottledOnce failed: AmazonServiceException: not allowed", second[1].Text("message"));
        Assert.Equal("AmazonServiceException", second[1].Text("errorType"));
        Assert.Null(second[2].Text("buildId"));
        Assert.DoesNotContain(lines, line => line.Text("requestId") is null);
    }

    private sealed class ThrottledOnceStep(AwsRetry retry) : IBakeStep
    {
        private int calls;

        public string Name => "ThrottledOnce";

        public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
        {
            await retry.RunAsync(
                "EC2 DescribeImages",
                _ => ++calls switch
                {
                    1 => throw new AmazonServiceException("Rate exceeded") { ErrorCode = "RequestLimitExceeded" },
                    2 => Task.FromResult(1),
                    _ => throw new AmazonServiceException("not allowed") { ErrorCode = "UnauthorizedOperation" },
                },
                cancellationToken);
            return state with { SourceImageId = "ami-1" };
        }
    }

    private sealed class NoProgress : IStepProgress
    {
        public Task RecordAsync(string buildId, string step, string status, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ExtendDeadlineAsync(string buildId, long deadlineEpochSeconds, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
