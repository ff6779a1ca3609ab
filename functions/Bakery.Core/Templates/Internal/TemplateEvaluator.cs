namespace Bakery.Core.Templates.Internal;

/// <summary>Evaluates actions of one template against one context.</summary>
internal sealed class TemplateEvaluator(string source, TemplateContext context)
{
    public string Source { get; } = source;

    public TemplateContext Context { get; } = context;

    /// <summary>The action's value, or null when it needs build-time data that is not known yet and deferral is on.</summary>
    public TemplateValue? EvaluateAction(ActionNode action)
    {
        _ = action;
        throw new NotImplementedException();
    }
}
