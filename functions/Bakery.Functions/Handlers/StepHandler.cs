using System.Text.Json;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Serialization;
using Bakery.Functions.Logging;
using Bakery.Functions.Runtime;

namespace Bakery.Functions.Handlers;

/// <summary>Adapts an <see cref="IBakeStep"/> to a <see cref="LambdaHandler"/>: BakeState JSON in and out, progress recorded around the step.</summary>
internal static class StepHandler
{
    public static LambdaHandler For(IBakeStep step, IStepProgress progress) => async (input, context, cancellationToken) =>
    {
        var state = ReadState(step.Name, input);
        var result = await RunAsync(step.Name, state.BuildId, context, progress, () => step.RunAsync(state, cancellationToken), cancellationToken).ConfigureAwait(false);
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
    /// Runs one step with the log fields set and its progress recorded (a failure is recorded, then rethrown).
    /// Progress is for people following the build: a ledger that cannot be written is logged, never the bake's failure.
    /// </summary>
    public static async Task<BakeState> RunAsync(
        string step, string buildId, LambdaContext context, IStepProgress progress, Func<Task<BakeState>> run, CancellationToken cancellationToken)
    {
        var logger = context.Logger;
        logger.BuildId = buildId;
        logger.Step = step;
        logger.Log(LambdaLogLevel.Info, $"{step} started");
        await RecordQuietlyAsync(progress, buildId, step, StepStatus.Started, logger).ConfigureAwait(false);
        BakeState result;
        try
        {
            result = await run().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.Log(LambdaLogLevel.Info, $"{step} failed: {ex.GetType().Name}");
            // The failure itself is what the caller reports; a ledger hiccup must not replace it.
            await RecordQuietlyAsync(progress, buildId, step, StepStatus.Failed, logger).ConfigureAwait(false);
            throw;
        }

        await RecordQuietlyAsync(progress, buildId, step, StepStatus.Succeeded, logger).ConfigureAwait(false);
        logger.Log(LambdaLogLevel.Info, $"{step} succeeded");
        return result;
    }

    /// <summary>
    /// The step moved the build's deadline (work visibly alive, a builder launched late): the janitor goes by the
    /// ledger's copy, so it moves too. A ledger hiccup is logged; the next check of a live build tries again.
    /// </summary>
    private static async Task ExtendDeadlineQuietlyAsync(IStepProgress progress, BakeState result, JsonLineLogger logger)
    {
        try
        {
            await progress.ExtendDeadlineAsync(result.BuildId, result.DeadlineEpochSeconds, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.Log(LambdaLogLevel.Warn, $"Extending the deadline to {result.DeadlineEpochSeconds} failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static async Task RecordQuietlyAsync(IStepProgress progress, string buildId, string step, string status, JsonLineLogger logger)
    {
        try
        {
            await progress.RecordAsync(buildId, step, status, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.Log(LambdaLogLevel.Warn, $"Recording {status} for {step} failed: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
