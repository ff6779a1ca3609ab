using System.Net;
using System.Text;
using Bakery.Core.Lambda;
using Bakery.Core.Steps;
using Bakery.Functions.Handlers;
using Bakery.Core.Logging;
using Bakery.Functions.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Functions.Tests.Runtime;

public sealed class RuntimeLoopTests : IAsyncLifetime
{
    private readonly StringWriter log = new();
    private readonly CancellationTokenSource stopping = new();
    private FakeRuntimeApi api = null!;
    private RuntimeApiClient client = null!;

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
    }

    [Fact]
    public async Task A_successful_handler_posts_its_response_for_the_request()
    {
        api.Enqueue(FakeEvent.Json("req-1", """{"name":"world"}"""));
        var loop = StartLoop(() => (input, context, _) =>
            Task.FromResult<ReadOnlyMemory<byte>>(Encoding.UTF8.GetBytes($"{{\"echo\":{Encoding.UTF8.GetString(input.Span)},\"id\":\"{context.RequestId}\"}}")));

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal("response", outcome.Kind);
        Assert.Equal("req-1", outcome.RequestId);
        Assert.Equal("""{"echo":{"name":"world"},"id":"req-1"}""", outcome.Text);
        Assert.Equal(0, await StopAsync(loop));
    }

    [Fact]
    public async Task A_handler_error_is_reported_with_its_type_name_and_the_loop_goes_on()
    {
        api.Enqueue(FakeEvent.Json("bad", "{}"));
        api.Enqueue(FakeEvent.Json("good", "{}"));
        var loop = StartLoop(() => (_, context, _) => context.RequestId == "bad"
            ? throw new InvalidOperationException("the build file has no builders")
            : Task.FromResult<ReadOnlyMemory<byte>>("\"ok\""u8.ToArray()));

        var first = await api.NextOutcomeAsync();
        var second = await api.NextOutcomeAsync();

        Assert.Equal(("error", "bad"), (first.Kind, first.RequestId));
        Assert.Equal("InvalidOperationException", first.ErrorType);
        Assert.Equal("InvalidOperationException", first.ErrorTypeHeader);
        Assert.Equal("the build file has no builders", first.ErrorMessage);
        Assert.Equal(("response", "good", "\"ok\""), (second.Kind, second.RequestId, second.Text));
        Assert.Equal(0, await StopAsync(loop));
    }

    [Fact]
    public async Task An_init_failure_goes_to_init_error_and_ends_with_a_non_zero_code()
    {
        var exitCode = await StartLoop(() => throw new FormatException("BAKERY_BUCKET is not set"));

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal("init/error", outcome.Kind);
        Assert.Equal("FormatException", outcome.ErrorType);
        Assert.Equal("BAKERY_BUCKET is not set", outcome.ErrorMessage);
        Assert.Equal(RuntimeLoop.InitFailedExitCode, exitCode);
    }

    [Fact]
    public async Task An_unknown_handler_is_an_init_error_naming_the_valid_handlers()
    {
        var table = new HandlerTable(StepNames.Handlers.ToDictionary(name => name, name => (Func<LambdaHandler>)(() => (_, _, _) => Task.FromResult<ReadOnlyMemory<byte>>(default))));

        var exitCode = await StartLoop(() => table.Resolve("Bake"));

        var outcome = await api.NextOutcomeAsync();
        Assert.Equal("init/error", outcome.Kind);
        Assert.Equal(nameof(UnknownHandlerException), outcome.ErrorType);
        Assert.Contains("'Bake'", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("Prepare, Launch, WaitForInstance, Provision, ErrorCleanup, StopInstance, CreateImage, TestImage, TagImage, CopyImage, ShareImage, PublishParameter, Teardown, Publish, Lifecycle, Janitor", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.NotEqual(0, exitCode);
    }

    [Fact]
    public async Task A_response_over_6_MB_is_reported_as_an_error_instead_of_being_lost()
    {
        api.Enqueue(FakeEvent.Json("big", "{}"));
        var loop = StartLoop(() => (_, _, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[LambdaRuntimeApi.MaxResponseBytes + 1]));

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal(("error", "big"), (outcome.Kind, outcome.RequestId));
        Assert.Equal("Function.ResponseSizeTooLarge", outcome.ErrorType);
        Assert.Contains((LambdaRuntimeApi.MaxResponseBytes + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.ErrorMessage, StringComparison.Ordinal);
        await StopAsync(loop);
    }

    [Fact]
    public async Task A_response_of_exactly_the_limit_is_delivered()
    {
        api.Enqueue(FakeEvent.Json("edge", "{}"));
        var loop = StartLoop(() => (_, _, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[LambdaRuntimeApi.MaxResponseBytes]));

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal("response", outcome.Kind);
        Assert.Equal(LambdaRuntimeApi.MaxResponseBytes, outcome.Body.Length);
        await StopAsync(loop);
    }

    [Fact]
    public async Task The_cancellation_token_fires_before_the_deadline_and_the_handler_reports_StepTimedOut()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var deadline = clock.GetUtcNow().AddSeconds(10);
        api.Enqueue(FakeEvent.Json("slow", "{}", deadline));
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = StartLoop(
            () => async (_, _, token) =>
            {
                started.SetResult(token);
                await Task.Delay(Timeout.Infinite, token);
                return default;
            },
            clock: clock);

        var token = await started.Task;
        clock.Advance(TimeSpan.FromSeconds(9.4));
        Assert.False(token.IsCancellationRequested);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(token.IsCancellationRequested);
        Assert.True(clock.GetUtcNow() < deadline);

        var outcome = await api.NextOutcomeAsync();
        Assert.Equal(("error", "slow"), (outcome.Kind, outcome.RequestId));
        Assert.Equal(RuntimeErrors.StepTimedOut, outcome.ErrorType);
        await StopAsync(loop);
    }

    [Fact]
    public async Task The_trace_id_is_passed_on_as_X_AMZN_TRACE_ID()
    {
        const string trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        api.Enqueue(FakeEvent.Json("traced", "{}", traceId: trace));
        var loop = StartLoop(() => (_, context, _) => Task.FromResult<ReadOnlyMemory<byte>>(
            Encoding.UTF8.GetBytes($"{Environment.GetEnvironmentVariable(RuntimeLoop.TraceIdVariable)}|{context.TraceId}")));

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal($"{trace}|{trace}", outcome.Text);
        await StopAsync(loop);
    }

    [Fact]
    public async Task A_500_from_the_Runtime_API_ends_the_loop_with_a_clear_message()
    {
        api.NextStatus = HttpStatusCode.InternalServerError;

        var exitCode = await StartLoop(() => (_, _, _) => Task.FromResult<ReadOnlyMemory<byte>>(default));

        Assert.Equal(RuntimeLoop.RuntimeApiFailedExitCode, exitCode);
        Assert.Contains("The Runtime API answered 500 InternalServerError to GET", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_reset_by_the_Runtime_API_ends_the_loop_with_a_clear_message()
    {
        api.ResetNext = true;

        var exitCode = await StartLoop(() => (_, _, _) => Task.FromResult<ReadOnlyMemory<byte>>(default));

        Assert.Equal(RuntimeLoop.RuntimeApiFailedExitCode, exitCode);
        Assert.Contains($"The Runtime API at http://{api.Address}/2018-06-01/runtime/ could not be reached", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_413_from_response_is_reported_as_ResponseSizeTooLarge_and_the_loop_goes_on()
    {
        api.ResponseLimit = 1000;
        api.Enqueue(FakeEvent.Json("big", "{}"));
        api.Enqueue(FakeEvent.Json("small", "{}"));
        var loop = StartLoop(() => (_, context, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[context.RequestId == "big" ? 2000 : 10]));

        var first = await api.NextOutcomeAsync();
        var second = await api.NextOutcomeAsync();

        Assert.Equal(("error", "big", RuntimeErrors.ResponseSizeTooLarge), (first.Kind, first.RequestId, first.ErrorType));
        Assert.Contains("2000 bytes", first.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(("response", "small", 10), (second.Kind, second.RequestId, second.Body.Length));
        Assert.Equal(0, await StopAsync(loop));
    }

    [Fact]
    public async Task An_error_report_the_API_refuses_is_logged_and_the_next_event_is_served()
    {
        api.ResponseLimit = 1000;
        api.ErrorStatus = HttpStatusCode.Forbidden;
        api.Enqueue(FakeEvent.Json("big", "{}"));
        api.Enqueue(FakeEvent.Json("small", "{}"));
        var loop = StartLoop(() => (_, context, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[context.RequestId == "big" ? 2000 : 10]));

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal(("response", "small"), (outcome.Kind, outcome.RequestId));
        Assert.Contains("The error report was refused, serving the next event: The Runtime API answered 403", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await StopAsync(loop));
    }

    [Fact]
    public async Task A_500_from_response_ends_the_loop_rather_than_being_ignored()
    {
        api.ResponseStatus = HttpStatusCode.InternalServerError;
        api.Enqueue(FakeEvent.Json("r", "{}"));

        var exitCode = await StartLoop(() => (_, _, _) => Task.FromResult<ReadOnlyMemory<byte>>("{}"u8.ToArray()));

        Assert.Equal(RuntimeLoop.RuntimeApiFailedExitCode, exitCode);
        Assert.Contains("The Runtime API answered 500 InternalServerError to POST", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_handler_failures_in_a_row_of_every_kind_never_end_the_loop()
    {
        Func<Task<ReadOnlyMemory<byte>>>[] failures =
        [
            () => throw new InvalidOperationException("plain"),
            () => Task.FromException<ReadOnlyMemory<byte>>(new ArgumentException("faulted task")),
            () => throw new AggregateException(new IOException("one"), new TimeoutException("two")),
            () => throw new OperationCanceledException("not the deadline's"),
            () => null!,
            () => throw new UnreadableMessageException(),
            () => throw new FormatException("lone surrogate \ud800 in the message"),
            async () =>
            {
                await Task.Yield();
                throw new KeyNotFoundException("after an await");
            },
        ];
        string[] expectedTypes =
        [
            "InvalidOperationException", "ArgumentException", "AggregateException", "OperationCanceledException",
            "NullReferenceException", nameof(UnreadableMessageException), "FormatException", "KeyNotFoundException",
        ];
        const int rounds = 5;
        for (var i = 0; i < failures.Length * rounds; i++)
        {
            api.Enqueue(FakeEvent.Json($"fail-{i}", "{}"));
        }

        api.Enqueue(FakeEvent.Json("ok", "{}"));
        var loop = StartLoop(() => (_, context, _) => context.RequestId == "ok"
            ? Task.FromResult<ReadOnlyMemory<byte>>("\"ok\""u8.ToArray())
            : failures[int.Parse(context.RequestId[5..], System.Globalization.CultureInfo.InvariantCulture) % failures.Length]());

        for (var i = 0; i < failures.Length * rounds; i++)
        {
            var outcome = await api.NextOutcomeAsync();
            Assert.Equal(("error", $"fail-{i}"), (outcome.Kind, outcome.RequestId));
            Assert.Equal(expectedTypes[i % failures.Length], outcome.ErrorType);
            Assert.False(string.IsNullOrEmpty(outcome.ErrorMessage));
        }

        var last = await api.NextOutcomeAsync();
        Assert.Equal(("response", "ok", "\"ok\""), (last.Kind, last.RequestId, last.Text));
        Assert.False(loop.IsCompleted);
        Assert.Equal(0, await StopAsync(loop));
    }

    private Task<int> StartLoop(Func<LambdaHandler> initialize, TimeProvider? clock = null)
    {
        var logger = new JsonLinesLoggerProvider(log, LogLevel.Information, TimeProvider.System).CreateLogger("test");
        var loop = new RuntimeLoop(client, logger, clock ?? TimeProvider.System);
        return Task.Run(() => loop.RunAsync(initialize, stopping.Token));
    }

    private async Task<int> StopAsync(Task<int> loop)
    {
        await stopping.CancelAsync();
        return await loop;
    }

    /// <summary>An exception whose message cannot even be read: the loop must still report something and go on.</summary>
    private sealed class UnreadableMessageException : Exception
    {
        public override string Message => throw new InvalidOperationException("no message for you");
    }
}
