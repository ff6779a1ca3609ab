using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Configuration;
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
        var clients = new Lazy<IAwsServices>(() => new SdkAwsServices(new AwsClients()));
        var retry = new AwsRetry(time);
        IStepProgress progress = NoStepProgress.Instance;

        Func<LambdaHandler> Step(Func<IAwsServices, IBakeStep> create) => () => StepHandler.For(create(clients.Value), progress);

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
        };
        foreach (var name in HandlerTable.StepNames.Where(name => !factories.ContainsKey(name)))
        {
            // Prepare, Publish and Janitor come with the ledger (steps-prepare); until then they fail at init, by name.
            factories[name] = () => throw new NotSupportedException($"The {name} step is not wired into the bootstrap yet");
        }

        return new HandlerTable(factories);
    }
}
