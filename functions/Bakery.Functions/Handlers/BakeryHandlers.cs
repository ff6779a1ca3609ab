using System.Text.Json;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Janitor;
using Bakery.Core.Ledger;
using Bakery.Core.Logging;
using Bakery.Core.Serialization;
using Bakery.Core.Steps;
using Bakery.Functions.Runtime;
using Microsoft.Extensions.Logging;

namespace Bakery.Functions.Handlers;

/// <summary>
/// The composition root of the bootstrap: which step serves which <c>_HANDLER</c>. Only the selected handler is
/// built, once per process, with the configuration read and the AWS clients made once and reused by every invocation.
/// Everything logs through one provider, so a retry deep in a step carries the invocation's scope.
/// </summary>
internal static class BakeryHandlers
{
    public static HandlerTable Create(ILoggerProvider logging) => Create(logging, Environment.GetEnvironmentVariable);

    /// <summary>The same table reading its settings through <paramref name="getVariable"/> (tests run it in-process).</summary>
    public static HandlerTable Create(ILoggerProvider logging, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(getVariable);
        var time = TimeProvider.System;
        var retry = new AwsRetry(time, logger: logging.CreateLogger(typeof(AwsRetry).FullName!));
        var configuration = new Lazy<BakeryConfiguration>(() => BakeryConfiguration.FromEnvironment(getVariable));
        var clients = new Lazy<AwsClients>(() => new AwsClients());
        var aws = new Lazy<IAwsServices>(() => new SdkAwsServices(clients.Value));
        var ledger = new Lazy<IBuildLedger>(() => new DynamoDbBuildLedger(clients.Value.DynamoDb, configuration.Value.LedgerTable, time, retry));

        Func<LambdaHandler> Step(Func<IBakeStep> create) => () => StepHandler.For(create(), new LedgerStepProgress(ledger.Value), time);

        var factories = new Dictionary<string, Func<LambdaHandler>>(StringComparer.Ordinal)
        {
            [StepNames.Prepare] = () => PrepareHandler(new PrepareStep(aws.Value, ledger.Value, configuration.Value, retry, time, logger: logging.CreateLogger(typeof(PrepareStep).FullName!))),
            [StepNames.Launch] = Step(() => new LaunchStep(aws.Value, configuration.Value, retry, time)),
            [StepNames.WaitForInstance] = Step(() => new WaitForInstanceStep(aws.Value, retry, time)),
            [StepNames.Provision] = Step(() => new ProvisionStep(aws.Value, retry, time)),
            [StepNames.ErrorCleanup] = Step(() => new ErrorCleanupStep(aws.Value, retry, time)),
            [StepNames.StopInstance] = Step(() => new StopInstanceStep(aws.Value, retry)),
            [StepNames.CreateImage] = Step(() => new CreateImageStep(aws.Value, retry)),
            [StepNames.TestImage] = Step(() => new TestImageStep(aws.Value, configuration.Value, retry, time)),
            [StepNames.TagImage] = Step(() => new TagImageStep(aws.Value, retry)),
            [StepNames.CopyImage] = Step(() => new CopyImageStep(aws.Value, retry)),
            [StepNames.ShareImage] = Step(() => new ShareImageStep(aws.Value, retry)),
            [StepNames.PublishParameter] = Step(() => new PublishParameterStep(aws.Value, retry)),
            [StepNames.Teardown] = Step(() => new TeardownStep(aws.Value, retry)),
            [StepNames.Publish] = Step(() => new PublishStep(aws.Value, ledger.Value, retry, time, configuration.Value.EventBus)),
            [StepNames.Lifecycle] = Step(() => new LifecycleStep(aws.Value, retry, time)),
            [StepNames.Janitor] = () => JanitorHandler(new ResourceJanitor(
                aws.Value, new SdkManagedResources(clients.Value), ledger.Value, configuration.Value, retry, time,
                new JanitorOptions { Regions = JanitorOptions.SweptRegions(getVariable("AWS_REGION") ?? "us-east-1", getVariable(JanitorOptions.RegionsVariable)) })),
        };

        return new HandlerTable(factories);
    }

    /// <summary>Prepare reads the execution's raw input (S3 event, schedule or console shape) and records its own progress.</summary>
    private static LambdaHandler PrepareHandler(PrepareStep step) => async (input, context, cancellationToken) =>
    {
        using var scope = LogScopes.Step(context.Logger, step.Name);
        JsonElement trigger;
        try
        {
            trigger = JsonSerializer.Deserialize(input.Span, BakeryJsonContext.Default.JsonElement);
        }
        catch (JsonException ex)
        {
            throw new BuildInputInvalid($"Prepare expects a JSON object (an S3 event, a schedule or a console input): {ex.Message}", ex);
        }

        var (executionInput, executionId) = UnwrapPrepareInput(trigger);
        // Prepare opens the build's scope itself, once it knows the build id.
        var state = await StepHandler.LoggedAsync(context.Logger, step.Name, () => step.RunAsync(executionInput, executionId, cancellationToken), state => state.BuildId)
            .ConfigureAwait(false);
        return JsonSerializer.SerializeToUtf8Bytes(state, BakeryJsonContext.Default.BakeState);
    };

    /// <summary>
    /// The workflow hands Prepare <c>{"executionId": $$.Execution.Id, "trigger": $}</c> so a retried Prepare can re-claim
    /// its own build; a bare trigger (a direct invocation) is taken as it is.
    /// </summary>
    internal static (JsonElement Trigger, string? ExecutionId) UnwrapPrepareInput(JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.Object
            && input.TryGetProperty("trigger", out var trigger)
            && input.TryGetProperty("executionId", out var executionId)
            && executionId.ValueKind == JsonValueKind.String
            && input.EnumerateObject().Count() == 2)
        {
            return (trigger, executionId.GetString());
        }

        return (input, null);
    }

    private static LambdaHandler JanitorHandler(ResourceJanitor step) => async (input, context, cancellationToken) =>
    {
        using var scope = LogScopes.Step(context.Logger, step.Name);
        JanitorRequest? request;
        try
        {
            request = input.IsEmpty ? null : JsonSerializer.Deserialize(input.Span, BakeryJsonContext.Default.JanitorRequest);
        }
        catch (JsonException ex)
        {
            throw new BuildInputInvalid($"Janitor expects a scheduled event or {{\"regions\": [...]}}: {ex.Message}", ex);
        }

        var report = await StepHandler.LoggedAsync(context.Logger, step.Name, () => step.RunAsync(request, cancellationToken)).ConfigureAwait(false);
        return JsonSerializer.SerializeToUtf8Bytes(report, BakeryJsonContext.Default.JanitorReport);
    };
}
