namespace Bakery.Hcl.Evaluation;

/// <summary>What an expression can see: the variables at its root (<c>var</c>, <c>local</c>, <c>path</c>, ...) and the functions.</summary>
public sealed record HclContext
{
    public IReadOnlyDictionary<string, HclValue> Variables { get; init; } = new Dictionary<string, HclValue>(StringComparer.Ordinal);

    public required HclFunctions Functions { get; init; }

    /// <summary>The variables added by <see cref="With"/>, innermost first (a short chain: nesting depth, not collection size).</summary>
    private Scope? _scope;

    /// <summary>
    /// A copy with one more variable (a <c>for</c> or directive variable, a dynamic block's iterator). Runs once per item
    /// of every <c>for</c>: it links the variable in front of the others instead of copying them all.
    /// </summary>
    public HclContext With(string name, HclValue value) => this with { _scope = new Scope(name, value, _scope) };

    /// <summary>The value of a root variable: the innermost <see cref="With"/> first, then <see cref="Variables"/>.</summary>
    public bool TryGetVariable(string name, out HclValue value)
    {
        for (var scope = _scope; scope is not null; scope = scope.Outer)
        {
            if (string.Equals(scope.Name, name, StringComparison.Ordinal))
            {
                value = scope.Value;
                return true;
            }
        }

        return Variables.TryGetValue(name, out value!);
    }

    /// <summary>Every root variable's name (for "did you mean").</summary>
    public IEnumerable<string> VariableNames
    {
        get
        {
            for (var scope = _scope; scope is not null; scope = scope.Outer)
            {
                yield return scope.Name;
            }

            foreach (var name in Variables.Keys)
            {
                yield return name;
            }
        }
    }

    private sealed record Scope(string Name, HclValue Value, Scope? Outer);
}
