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

    /// <summary>
    /// The context of one <c>for</c> expression or <c>%{ for }</c> directive, made once per loop: <see cref="SetLoopItem"/>
    /// sets its variables for each item in place. A new context and scope per item (twice with a key) were allocated for
    /// every item of every loop (docs/benchmarks.md 1b). Safe because evaluation is eager: nothing keeps a context
    /// after the item's value is computed.
    /// </summary>
    internal HclContext ForLoop(string valueName, string? keyName)
    {
        var scope = new Scope(valueName, HclValue.Null, _scope);
        return this with { _scope = keyName is null ? scope : new Scope(keyName, HclValue.Null, scope) };
    }

    /// <summary>Sets a <see cref="ForLoop"/> context's variables; <paramref name="key"/> only when the loop names one.</summary>
    internal void SetLoopItem(bool hasKey, HclValue? key, HclValue value)
    {
        var scope = _scope!;
        if (hasKey)
        {
            scope.Value = key!;
            scope = scope.Outer!;
        }

        scope.Value = value;
    }

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

    private sealed class Scope(string name, HclValue value, Scope? outer)
    {
        public string Name { get; } = name;

        public HclValue Value { get; set; } = value;

        public Scope? Outer { get; } = outer;
    }
}
