using Bakery.Core.Steps;
using Bakery.Functions.Runtime;

namespace Bakery.Functions.Handlers;

/// <summary>
/// The <c>_HANDLER</c> value → handler map of the one <c>bootstrap</c>. Only the selected handler is built (each
/// function's process serves one step), once, at init; an unknown name is an init error naming the valid ones.
/// </summary>
internal sealed class HandlerTable(IReadOnlyDictionary<string, Func<LambdaHandler>> factories)
{
    public const string HandlerVariable = "_HANDLER";

    /// <summary>The handlers this table serves, the steps in workflow order first.</summary>
    public IEnumerable<string> Names => StepNames.Handlers.Where(factories.ContainsKey).Concat(factories.Keys.Except(StepNames.Handlers).Order(StringComparer.Ordinal));

    public LambdaHandler Resolve(string? handlerName)
    {
        if (string.IsNullOrEmpty(handlerName) || !factories.TryGetValue(handlerName, out var factory))
        {
            var shown = string.IsNullOrEmpty(handlerName) ? "(not set)" : $"'{handlerName}'";
            throw new UnknownHandlerException(
                $"{HandlerVariable} {shown} is not a Bakery handler; valid handlers: {string.Join(", ", Names)}");
        }

        return factory();
    }
}
