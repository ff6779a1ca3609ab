using System.Diagnostics;
using System.Net;
using Bakery.Core.Steps;
using Bakery.Functions.Runtime;
using Bakery.Functions.Tests.Runtime;
using Bakery.Testing;

namespace Bakery.Functions.Tests.Bootstrap;

/// <summary>
/// The published bootstrap against a Runtime API that breaks: the process ends by itself with a non-zero exit code
/// and says why, so Lambda (or the local Lambda service) replaces the environment instead of keeping a dead one.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class BootstrapRuntimeApiFailureTests
{
    [Fact]
    public async Task A_500_on_next_ends_the_bootstrap_with_a_non_zero_code_and_a_clear_message()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.NextStatus = HttpStatusCode.InternalServerError;

        var (exitCode, output) = await RunBootstrapAsync(api.Address);

        Assert.Equal(RuntimeLoop.RuntimeApiFailedExitCode, exitCode);
        Assert.Contains("The Runtime API answered 500 InternalServerError to GET", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dropped_connection_ends_the_bootstrap_with_a_non_zero_code_and_a_clear_message()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.ResetNext = true;

        var (exitCode, output) = await RunBootstrapAsync(api.Address);

        Assert.Equal(RuntimeLoop.RuntimeApiFailedExitCode, exitCode);
        Assert.Contains($"The Runtime API at http://{api.Address}/2018-06-01/runtime/ could not be reached", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handler_error_and_an_oversized_response_are_reported_and_the_bootstrap_keeps_serving()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.ResponseLimit = 20;
        // Teardown with a malformed state fails; with an empty one it answers its state (more than 20 bytes: a 413).
        api.Enqueue(FakeEvent.Json("bad", "[]"));
        api.Enqueue(FakeEvent.Json("big", """{"buildId":"b-1","created":{},"removed":{},"wait":{"done":true}}"""));
        api.Enqueue(FakeEvent.Json("bad-again", "not json"));

        var run = RunBootstrapAsync(api.Address);
        var outcomes = new[] { await api.NextOutcomeAsync(), await api.NextOutcomeAsync(), await api.NextOutcomeAsync() };
        api.NextStatus = HttpStatusCode.InternalServerError;
        api.Enqueue(FakeEvent.Json("wake", "{}"));
        var (exitCode, output) = await run;

        Assert.Equal(["bad", "big", "bad-again"], outcomes.Select(o => o.RequestId));
        Assert.All(outcomes, o => Assert.Equal("error", o.Kind));
        Assert.Equal(RuntimeErrors.ResponseSizeTooLarge, outcomes[1].ErrorType);
        Assert.Equal(RuntimeLoop.RuntimeApiFailedExitCode, exitCode);
        Assert.Contains("ResponseSizeTooLarge", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunBootstrapAsync(string runtimeApi)
    {
        var start = new ProcessStartInfo(await PublishedBootstrap.GetPathAsync())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        start.Environment["_HANDLER"] = StepNames.Teardown;
        start.Environment["BAKERY_BUCKET"] = "bakery-templates";
        start.Environment["BAKERY_LEDGER_TABLE"] = "bakery-ledger";
        start.Environment["BAKERY_INSTANCE_PROFILE"] = "bakery-builder";
        // Nothing here may reach AWS: a closed local port makes any call fail fast instead.
        start.Environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9";
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = "testing";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"bootstrap did not end: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
