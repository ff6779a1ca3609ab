using System.Text.Json;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Logging;
using Bakery.Core.Serialization;
using Bakery.Functions.Runtime;
using Microsoft.Extensions.Logging;

namespace Bakery.Functions.Handlers;

/// <summary>
/// Adapts an <see cref="IBakeStep"/> to a <see cref="LambdaHandler"/>: BakeState JSON in and out, inside a logging scope
/// naming the build and the step, with progress recorded and the step's run stamped on the state's timeline.
/// </summary>
internal static class StepHandler
{
    public static LambdaHandler For(IBakeStep step, IStepProgress progress, TimeProvider time) => async (input, context, cancellationToken) =>
    {
        var state = ReadState(step.Name, input);
        using var scope = LogScopes.Step(context.Logger, step.Name, state.BuildId);
        var result = await RunAsync(step.Name, state.BuildId, context.Logger, progress, () => TimedAsync(step, state, time, cancellationToken)).ConfigureAwait(false);
        if (result.DeadlineEpochSeconds > state.DeadlineEpochSeconds)
        {
            await ExtendDeadlineQuietlyAsync(progress, result, context.Logger).ConfigureAwait(false);
        }

        return JsonSerializer.SerializeToUtf8Bytes(result, BakeryJsonContext.Default.BakeState);
    };

    /// <summary>The step's input as a bake state; anything else is the workflow's <see cref="BuildInputInvalid"/>.</summary>
    public static BakeState ReadState(string step, ReadOnlyMemory<byte> input)
    {
        try
        {
            return JsonSerializer.Deserialize(input.Span, BakeryJsonContext.Default.BakeState)
                ?? throw new BuildInputInvalid($"{step} expects a bake state object, got null");
        }
        catch (JsonException ex)
        {
            // The position is useful, the payload itself may hold secrets: only the serializer's message goes on.
            throw new BuildInputInvalid($"{step} expects a bake state: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Runs one step with its progress recorded (a failure is recorded, then rethrown). Progress is for people following
    /// the build: a ledger that cannot be written is logged, never the bake's failure.
    /// </summary>
    public static async Task<BakeState> RunAsync(string step, string buildId, ILogger logger, IStepProgress progress, Func<Task<BakeState>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return await LoggedAsync(
            logger,
            step,
            async () =>
            {
                await RecordQuietlyAsync(progress, buildId, step, StepStatus.Started, logger).ConfigureAwait(false);
                BakeState result;
                try
                {
                    result = await run().ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The failure itself is what the caller reports; a ledger hiccup must not replace it.
                    await RecordQuietlyAsync(progress, buildId, step, StepStatus.Failed, logger).ConfigureAwait(false);
                    throw;
                }

                await RecordQuietlyAsync(progress, buildId, step, StepStatus.Succeeded, logger).ConfigureAwait(false);
                return result;
            }).ConfigureAwait(false);
    }

    /// <summary>
    /// Logs a step's start and end, or its failure at Error with the exception (then rethrows it). With
    /// <paramref name="buildIdOf"/>, the end line names the build the step's answer is about (Prepare learns it as it runs).
    /// </summary>
    public static async Task<T> LoggedAsync<T>(ILogger logger, string step, Func<Task<T>> run, Func<T, string?>? buildIdOf = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        StepLog.Started(logger, step);
        T result;
        try
        {
            result = await run().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StepLog.Failed(logger, ex, step, ex.GetType().Name, MessageOf(ex));
            throw;
        }

        using (buildIdOf?.Invoke(result) is { } buildId ? LogScopes.Step(logger, step, buildId) : null)
        {
            StepLog.Succeeded(logger, step);
        }

        return result;
    }

    /// <summary>The step's answer stamped with its run: the one place the state's timeline is written for a step.</summary>
    private static async Task<BakeState> TimedAsync(IBakeStep step, BakeState state, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var result = await step.RunAsync(state, cancellationToken).ConfigureAwait(false);
        return StepTimings.Record(result, step.Name, started, time.GetUtcNow());
    }

    /// <summary>An exception's message, or a note that it has none readable (the runtime still reports it by type).</summary>
    private static string MessageOf(Exception exception)
    {
        try
        {
            return exception.Message;
        }
        catch (Exception reading) when (reading is not OutOfMemoryException)
        {
            return $"(its message could not be read: {reading.GetType().Name})";
        }
    }

    /// <summary>
    /// The step moved the build's deadline (work visibly alive, a builder launched late): the janitor goes by the
    /// ledger's copy, so it moves too. A ledger hiccup is logged; the next check of a live build tries again.
    /// </summary>
    private static async Task ExtendDeadlineQuietlyAsync(IStepProgress progress, BakeState result, ILogger logger)
    {
        try
        {
            await progress.ExtendDeadlineAsync(result.BuildId, result.DeadlineEpochSeconds, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            StepLog.ExtendingDeadlineFailed(logger, result.DeadlineEpochSeconds, ex.GetType().Name, ex.Message);
        }
    }

    private static async Task RecordQuietlyAsync(IStepProgress progress, string buildId, string step, string status, ILogger logger)
    {
        try
        {
            await progress.RecordAsync(buildId, step, status, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            StepLog.RecordingFailed(logger, status, step, ex.GetType().Name, ex.Message);
        }
    }
}
