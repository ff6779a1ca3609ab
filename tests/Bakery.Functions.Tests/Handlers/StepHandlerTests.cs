using System.Text;
using System.Text.Json;
using Bakery.Core.Bake;
using Bakery.Functions.Handlers;
using Bakery.Functions.Logging;
using Bakery.Functions.Runtime;

namespace Bakery.Functions.Tests.Handlers;

public sealed class StepHandlerTests
{
    private readonly StringWriter log = new();
    private readonly RecordingProgress progress = new();

    [Fact]
    public async Task The_step_gets_the_state_and_its_result_is_the_response_with_progress_recorded()
    {
        var handler = StepHandler.For(new DelegateStep("Launch", state => state with { SourceImageId = "ami-123" }), progress);

        var output = await handler(Encoding.UTF8.GetBytes("""{"buildId":"b-1"}"""), Context(), CancellationToken.None);

        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("b-1", json.GetProperty("buildId").GetString());
        Assert.Equal("ami-123", json.GetProperty("sourceImageId").GetString());
        Assert.Equal(["b-1 Launch Started", "b-1 Launch Succeeded"], progress.Records);
        Assert.Contains("\"buildId\":\"b-1\"", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"step\":\"Launch\"", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_step_is_recorded_as_failed_and_its_exception_reaches_the_loop()
    {
        var handler = StepHandler.For(new DelegateStep("Provision", _ => throw new TimeoutException("no agent")), progress);

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => handler(Encoding.UTF8.GetBytes("""{"buildId":"b-2"}"""), Context(), CancellationToken.None));

        Assert.Equal("no agent", thrown.Message);
        Assert.Equal(["b-2 Provision Started", "b-2 Provision Failed"], progress.Records);
    }

    [Fact]
    public async Task A_ledger_that_cannot_be_written_is_logged_and_the_step_still_runs()
    {
        var handler = StepHandler.For(new DelegateStep("Launch", state => state with { SourceImageId = "ami-9" }), new FailingProgress());

        var output = await handler(Encoding.UTF8.GetBytes("""{"buildId":"b-3"}"""), Context(), CancellationToken.None);

        Assert.Equal("ami-9", JsonDocument.Parse(output).RootElement.GetProperty("sourceImageId").GetString());
        Assert.Contains("Recording Started for Launch failed", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("Recording Succeeded for Launch failed", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_that_moves_the_deadline_later_has_the_ledger_moved_and_one_that_does_not_leaves_it()
    {
        var later = StepHandler.For(new DelegateStep("Provision", state => state with { DeadlineEpochSeconds = 5_000 }), progress);
        var same = StepHandler.For(new DelegateStep("Provision", state => state), progress);

        await later(Encoding.UTF8.GetBytes("""{"buildId":"b-4","deadlineEpochSeconds":1000}"""), Context(), CancellationToken.None);
        await same(Encoding.UTF8.GetBytes("""{"buildId":"b-5","deadlineEpochSeconds":1000}"""), Context(), CancellationToken.None);

        Assert.Contains("b-4 deadline 5000", progress.Records);
        Assert.DoesNotContain(progress.Records, record => record.StartsWith("b-5 deadline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Input_that_is_not_a_bake_state_fails_before_the_step_runs()
    {
        var handler = StepHandler.For(new DelegateStep("Launch", state => state), progress);

        await Assert.ThrowsAsync<Bakery.Core.Exceptions.BuildInputInvalid>(() => handler(Encoding.UTF8.GetBytes("""{"nope":1}"""), Context(), CancellationToken.None));

        Assert.Empty(progress.Records);
    }

    private LambdaContext Context() => new()
    {
        RequestId = "req",
        Logger = new JsonLineLogger(log, LambdaLogLevel.Info, TimeProvider.System),
    };

    private sealed class DelegateStep(string name, Func<BakeState, BakeState> run) : IBakeStep
    {
        public string Name => name;

        public Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken) => Task.FromResult(run(state));
    }

    private sealed class FailingProgress : IStepProgress
    {
        public Task RecordAsync(string buildId, string step, string status, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("ledger unreachable");

        public Task ExtendDeadlineAsync(string buildId, long deadlineEpochSeconds, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("ledger unreachable");
    }

    private sealed class RecordingProgress : IStepProgress
    {
        public List<string> Records { get; } = [];

        public Task RecordAsync(string buildId, string step, string status, CancellationToken cancellationToken)
        {
            Records.Add($"{buildId} {step} {status}");
            return Task.CompletedTask;
        }

        public Task ExtendDeadlineAsync(string buildId, long deadlineEpochSeconds, CancellationToken cancellationToken)
        {
            Records.Add($"{buildId} deadline {deadlineEpochSeconds}");
            return Task.CompletedTask;
        }
    }
}
