using System.Text;
using System.Text.Json;
using Bakery.Core.Bake;
using Bakery.Core.Logging;
using Bakery.Functions.Handlers;
using Bakery.Functions.Runtime;
using Bakery.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Functions.Tests.Handlers;

public sealed class StepHandlerTests : IDisposable
{
    private readonly StringWriter log = new();
    private readonly JsonLinesLoggerProvider logging;
    private readonly RecordingProgress progress = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero));

    public StepHandlerTests() => logging = new JsonLinesLoggerProvider(log, LogLevel.Information, TimeProvider.System);

    public void Dispose() => logging.Dispose();

    [Fact]
    public async Task The_step_gets_the_state_and_its_result_is_the_response_with_progress_recorded()
    {
        var handler = StepHandler.For(new DelegateStep("Launch", state => state with { SourceImageId = "ami-123" }), progress, clock);

        var output = await handler(Encoding.UTF8.GetBytes("""{"buildId":"b-1"}"""), Context(), CancellationToken.None);

        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("b-1", json.GetProperty("buildId").GetString());
        Assert.Equal("ami-123", json.GetProperty("sourceImageId").GetString());
        Assert.Equal(["b-1 Launch Started", "b-1 Launch Succeeded"], progress.Records);
        Assert.Equal(["Launch started", "Launch succeeded"], LogLines.Parse(log).Select(line => line.Text("message")));
        Assert.All(LogLines.Parse(log), line => Assert.Equal(("INFO", "b-1", "Launch"), (line.Text("level"), line.Text("buildId"), line.Text("step"))));
    }

    [Fact]
    public async Task A_failing_step_is_recorded_as_failed_logged_at_Error_and_its_exception_reaches_the_loop()
    {
        var handler = StepHandler.For(new DelegateStep("Provision", _ => throw new TimeoutException("no agent")), progress, clock);

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => handler(Encoding.UTF8.GetBytes("""{"buildId":"b-2"}"""), Context(), CancellationToken.None));

        Assert.Equal("no agent", thrown.Message);
        Assert.Equal(["b-2 Provision Started", "b-2 Provision Failed"], progress.Records);
        var failed = LogLines.Parse(log)[^1];
        Assert.Equal("ERROR", failed.Text("level"));
        Assert.Equal("Provision failed: TimeoutException: no agent", failed.Text("message"));
        Assert.Equal("TimeoutException", failed.Text("errorType"));
        Assert.Equal("no agent", failed.Text("errorMessage"));
        Assert.Equal(("b-2", "Provision"), (failed.Text("buildId"), failed.Text("step")));
    }

    [Fact]
    public async Task A_ledger_that_cannot_be_written_is_logged_and_the_step_still_runs()
    {
        var handler = StepHandler.For(new DelegateStep("Launch", state => state with { SourceImageId = "ami-9" }), new FailingProgress(), clock);

        var output = await handler(Encoding.UTF8.GetBytes("""{"buildId":"b-3"}"""), Context(), CancellationToken.None);

        Assert.Equal("ami-9", JsonDocument.Parse(output).RootElement.GetProperty("sourceImageId").GetString());
        var warnings = LogLines.Parse(log).Where(line => line.Text("level") == "WARN").Select(line => line.Text("message")).ToList();
        Assert.Contains(warnings, message => message!.StartsWith("Recording Started for Launch failed", StringComparison.Ordinal));
        Assert.Contains(warnings, message => message!.StartsWith("Recording Succeeded for Launch failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_step_that_moves_the_deadline_later_has_the_ledger_moved_and_one_that_does_not_leaves_it()
    {
        var later = StepHandler.For(new DelegateStep("Provision", state => state with { DeadlineEpochSeconds = 5_000 }), progress, clock);
        var same = StepHandler.For(new DelegateStep("Provision", state => state), progress, clock);

        await later(Encoding.UTF8.GetBytes("""{"buildId":"b-4","deadlineEpochSeconds":1000}"""), Context(), CancellationToken.None);
        await same(Encoding.UTF8.GetBytes("""{"buildId":"b-5","deadlineEpochSeconds":1000}"""), Context(), CancellationToken.None);

        Assert.Contains("b-4 deadline 5000", progress.Records);
        Assert.DoesNotContain(progress.Records, record => record.StartsWith("b-5 deadline", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Input_that_is_not_a_bake_state_fails_before_the_step_runs()
    {
        var handler = StepHandler.For(new DelegateStep("Launch", state => state), progress, clock);

        await Assert.ThrowsAsync<Bakery.Core.Exceptions.BuildInputInvalid>(() => handler(Encoding.UTF8.GetBytes("""{"nope":1}"""), Context(), CancellationToken.None));

        Assert.Empty(progress.Records);
    }

    [Fact]
    public async Task Each_step_is_stamped_on_the_timeline_once_and_a_wait_loop_extends_its_own_entry()
    {
        // A step that takes 5 s on the clock and waits twice before it is done, as CreateImage does.
        var answers = new Queue<WaitHint>([new WaitHint { Done = false, Seconds = 15 }, new WaitHint { Done = false, Seconds = 15 }, new WaitHint { Done = true }]);
        var create = StepHandler.For(new DelegateStep("CreateImage", state => { clock.Advance(TimeSpan.FromSeconds(5)); return state with { Wait = answers.Dequeue() }; }), progress, clock);
        var t0 = clock.GetUtcNow();
        var state = new BakeState { BuildId = "b-6", Timings = [new StepTiming("StopInstance", t0.AddMinutes(-1), t0)] };

        for (var call = 0; call < 3; call++)
        {
            var output = await create(JsonSerializer.SerializeToUtf8Bytes(state, Bakery.Core.Serialization.BakeryJsonContext.Default.BakeState), Context(), CancellationToken.None);
            state = JsonSerializer.Deserialize(output.Span, Bakery.Core.Serialization.BakeryJsonContext.Default.BakeState)!;
            clock.Advance(TimeSpan.FromSeconds(15));
        }

        // The waiting calls share one entry (first start to last end); the call that finished is its own, as before.
        Assert.Equal(
            [
                new StepTiming("StopInstance", t0.AddMinutes(-1), t0),
                new StepTiming("CreateImage", t0, t0.AddSeconds(25)),
                new StepTiming("CreateImage", t0.AddSeconds(40), t0.AddSeconds(45)),
            ],
            state.Timings);
    }

    private LambdaContext Context() => new()
    {
        RequestId = "req",
        Logger = logging.CreateLogger("test"),
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
