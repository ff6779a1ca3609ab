using System.Text.Json;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Serialization;
using Bakery.Core.Steps;
using Bakery.Functions.Logging;
using Bakery.Functions.Runtime;

namespace Bakery.Functions.Handlers;

/// <summary>
/// The composition root of the bootstrap: which step serves which <c>_HANDLER</c>. Only the selected handler is
/// built, once per process, with the AWS clients made once and reused by every invocation.
/// </summary>
internal static class BakeryHandlers
{
    /// <summary>Hides sensitive values in error messages and logs (the engine's Redactor plugs in here).</summary>
    public static Func<string, string> Redactor { get; } = text => text;

    public static HandlerTable Create(JsonLineLogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var time = TimeProvider.System;
        var sdk = new Lazy<AwsClients>(() => new AwsClients());
        var clients = new Lazy<IAwsServices>(() => new SdkAwsServices(sdk.Value));
        var retry = new AwsRetry(time);
        IStepProgress progress = NoStepProgress.Instance;

        Func<LambdaHandler> Step(Func<IAwsServices, IBakeStep> create) => () => StepHandler.For(create(clients.Value), progress);
        IBuildLedger Ledger() => new DynamoDbBuildLedger(sdk.Value.DynamoDb, BakeryConfiguration.FromEnvironment().LedgerTable, time, retry);

        var factories = new Dictionary<string, Func<LambdaHandler>>(StringComparer.Ordinal)
        {
            ["Launch"] = Step(aws => new LaunchStep(aws, BakeryConfiguration.FromEnvironment(), retry, time)),
            ["WaitForInstance"] = Step(aws => new WaitForInstanceStep(aws, retry, time)),
            ["Provision"] = Step(aws => new ProvisionStep(aws, retry, time)),
            ["StopInstance"] = Step(aws => new StopInstanceStep(aws, retry, time)),
            ["CreateImage"] = Step(aws => new CreateImageStep(aws, retry, time)),
            ["TagImage"] = Step(aws => new TagImageStep(aws, retry, time)),
            ["CopyImage"] = Step(aws => new CopyImageStep(aws, retry, time)),
            ["ShareImage"] = Step(aws => new ShareImageStep(aws, retry, time)),
            ["Teardown"] = Step(aws => new TeardownStep(aws, retry, time)),
            ["Publish"] = Step(aws => new PublishStep(aws, Ledger(), time, retry)),
            ["Prepare"] = () => PrepareHandler(new PrepareStep(clients.Value, Ledger(), BakeryConfiguration.FromEnvironment(), time, retry)),
        };
        foreach (var name in HandlerTable.StepNames.Where(name => !factories.ContainsKey(name)))
        {
            // The Janitor is not wired yet; until then it fails at init, by name.
            factories[name] = () => throw new NotSupportedException($"The {name} step is not wired into the bootstrap yet");
        }

        return new HandlerTable(factories);
    }

    // Prepare reads the execution's raw input (an S3 event, a scheduler or console input), not a bake state.
    private static LambdaHandler PrepareHandler(PrepareStep step) => async (input, context, cancellationToken) =>
    {
        JsonElement trigger;
        try
        {
            using var document = JsonDocument.Parse(input);
            trigger = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new BuildInputInvalid($"Prepare expects a JSON trigger: {ex.Message}", ex);
        }

        var result = await step.RunAsync(trigger, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.SerializeToUtf8Bytes(result, BakeryJsonContext.Default.BakeState);
    };
}
