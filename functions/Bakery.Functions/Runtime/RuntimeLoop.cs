using System.Net;
using System.Text.Json;
using Bakery.Core.Lambda;
using Bakery.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Bakery.Functions.Runtime;

/// <summary>
/// The custom-runtime loop: initialize once (a failure goes to <c>/init/error</c> and ends the process), then
/// next → handler → response or error, forever. A handler's failure is reported and the loop goes on; a failure
/// of the Runtime API itself ends the loop with a non-zero exit code and a clear message. Every line logged while an
/// invocation is served carries its request id (a logging scope, so nothing outlives the invocation).
/// </summary>
internal sealed class RuntimeLoop(IRuntimeApiClient client, ILogger logger, TimeProvider clock)
{
    public const int InitFailedExitCode = 1;
    public const int RuntimeApiFailedExitCode = 2;
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>How long before the deadline the handler's token fires, so it can still report: at most this, at most a quarter of the time left.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs until the Runtime API fails or <paramref name="stopping"/> fires; returns the process exit code.</summary>
    public async Task<int> RunAsync(Func<LambdaHandler> initialize, CancellationToken stopping)
    {
        try
        {
            LambdaHandler handler;
            try
            {
                handler = initialize();
            }
            catch (Exception ex) when (ex is not RuntimeApiException)
            {
                var error = RuntimeErrors.FromException(ex);
                RuntimeLog.InitFailed(logger, error.ErrorType, error.ErrorMessage);
                await client.SendInitErrorAsync(error, stopping).ConfigureAwait(false);
                return InitFailedExitCode;
            }

            while (!stopping.IsCancellationRequested)
            {
                var invocation = await client.GetNextInvocationAsync(stopping).ConfigureAwait(false);
                await InvokeAsync(handler, invocation, stopping).ConfigureAwait(false);
            }

            return 0;
        }
        catch (RuntimeApiException ex)
        {
            RuntimeLog.Stopping(logger, ex.Message);
            return RuntimeApiFailedExitCode;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return 0;
        }
    }

    private async Task InvokeAsync(LambdaHandler handler, Invocation invocation, CancellationToken stopping)
    {
        using var scope = LogScopes.Invocation(logger, invocation.RequestId);
        // Lambda's contract for tracing libraries: the current trace header lives in this variable.
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);

        // The token fires a little before Lambda's deadline, so the handler can still report why it stopped.
        var margin = DeadlineMargin;
        var fireIn = Timeout.InfiniteTimeSpan;
        if (invocation.Deadline is { } end)
        {
            var left = end - clock.GetUtcNow();
            margin = left > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Min(DeadlineMargin.Ticks, left.Ticks / 4)) : TimeSpan.Zero;
            fireIn = left - margin > TimeSpan.Zero ? left - margin : TimeSpan.Zero;
        }

        using var deadlineTimer = new CancellationTokenSource(fireIn, clock);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadlineTimer.Token);

        var context = new LambdaContext
        {
            RequestId = invocation.RequestId,
            Deadline = invocation.Deadline,
            InvokedFunctionArn = invocation.InvokedFunctionArn,
            TraceId = invocation.TraceId,
            Logger = logger,
        };

        RuntimeError? error = null;
        ReadOnlyMemory<byte> response = default;
        try
        {
            response = await handler(invocation.Payload, context, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            error = RuntimeErrors.DeadlineReached(margin);
        }
        catch (Exception ex) when (ex is not RuntimeApiException)
        {
            error = Describe(ex);
        }

        if (error is null && response.Length > LambdaRuntimeApi.MaxResponseBytes)
        {
            error = RuntimeErrors.ResponseTooLarge(response.Length);
        }

        if (error is null)
        {
            try
            {
                await client.SendResponseAsync(invocation.RequestId, response, stopping).ConfigureAwait(false);
                return;
            }
            catch (RuntimeApiException rejected) when (rejected.StatusCode == HttpStatusCode.RequestEntityTooLarge)
            {
                // The API's own limit said no: the invocation is still open, so it ends as an error, not lost.
                error = RuntimeErrors.ResponseRejectedAsTooLarge(response.Length);
            }
            catch (RuntimeApiException refused) when (IsAboutThisInvocation(refused))
            {
                RuntimeLog.ResponseRefused(logger, refused.Message);
                return;
            }
        }

        RuntimeLog.Reporting(logger, error.ErrorType, error.ErrorMessage);
        try
        {
            await client.SendErrorAsync(invocation.RequestId, error, stopping).ConfigureAwait(false);
        }
        catch (RuntimeApiException refused) when (IsAboutThisInvocation(refused))
        {
            // E.g. Lambda already closed the invocation after a 413: the report has nowhere to go, the API still works.
            RuntimeLog.ErrorReportRefused(logger, refused.Message);
        }
    }

    /// <summary>
    /// A 4xx is about one invocation (a bad request id, a payload over the limit, an invocation already closed); only a
    /// 5xx or a broken connection means the API itself is gone (its spec: "Container error. Runtime should exit").
    /// </summary>
    private static bool IsAboutThisInvocation(RuntimeApiException error) =>
        error.StatusCode is { } status && (int)status is >= 400 and < 500;

    /// <summary>The error document for a handler's exception; never throws, so no exception can end the loop.</summary>
    private RuntimeError Describe(Exception exception)
    {
        try
        {
            var error = RuntimeErrors.FromException(exception);
            // Serialized here too: an error that cannot be written (e.g. a lone surrogate in its message) fails now, not mid-report.
            _ = JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJsonContext.Default.RuntimeError);
            return error;
        }
        catch (Exception describing)
        {
            return new RuntimeError
            {
                ErrorType = exception.GetType().Name,
                ErrorMessage = $"The handler failed with {exception.GetType().Name}, whose message could not be read ({describing.GetType().Name})",
            };
        }
    }
}
