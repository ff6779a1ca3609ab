namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>A function templates can call. <see cref="Body"/> returns null to defer the whole action.</summary>
internal sealed class TemplateFunction
{
    public required string Name { get; init; }

    /// <summary>Types of the fixed parameters.</summary>
    public IReadOnlyList<ParameterType> Parameters { get; init; } = [];

    /// <summary>Type of any further arguments, or null when the function takes exactly <see cref="Parameters"/>.</summary>
    public ParameterType? Variadic { get; init; }

    /// <summary>Fewest arguments (defaults to the fixed parameter count).</summary>
    public int? MinimumArguments { get; init; }

    /// <summary>Most arguments for a variadic function, when limited.</summary>
    public int? MaximumArguments { get; init; }

    public bool UsesBuildTimeData { get; init; }

    /// <summary>How to call it, shown with argument-count errors: <c>split STRING SEPARATOR INDEX</c>.</summary>
    public string? Usage { get; init; }

    public required Func<TemplateValue[], TemplateEvaluator, int, TemplateValue?> Body { get; init; }

    public int MinArguments => MinimumArguments ?? Parameters.Count;

    public int MaxArguments => Variadic is null ? Parameters.Count : MaximumArguments ?? int.MaxValue;

    public ParameterType ParameterAt(int index) =>
        index < Parameters.Count ? Parameters[index] : Variadic ?? ParameterType.Any;
}
