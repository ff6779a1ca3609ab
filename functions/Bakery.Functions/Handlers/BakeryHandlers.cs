using Bakery.Functions.Logging;
using Bakery.Functions.Runtime;

namespace Bakery.Functions.Handlers;

/// <summary>
/// The composition root of the bootstrap: which step serves which <c>_HANDLER</c>, with the AWS clients built
/// once per process (only for the handler this process serves).
/// </summary>
internal static class BakeryHandlers
{
    /// <summary>Hides sensitive values in error messages and logs.</summary>
    public static Func<string, string> Redactor { get; } = text => text;

    public static HandlerTable Create(JsonLineLogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        var factories = new Dictionary<string, Func<LambdaHandler>>(StringComparer.Ordinal);
        foreach (var name in HandlerTable.StepNames)
        {
            factories[name] = () => throw new NotSupportedException($"The {name} step is not wired into the bootstrap yet");
        }

        return new HandlerTable(factories);
    }
}
